package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// loginLimit is a fixed-window limit on login tries. The windows are aligned to
// the clock and counted in Redis (storage.LoginTry), so every replica counts
// against the same limit and a restart resets nothing.
type loginLimit struct {
	// scope names the counter family ("addr", "name").
	scope  string
	max    int64
	window time.Duration
	// msg is what a refused visitor reads.
	msg string
}

var (
	// addrLimit: 10 tries a minute from one remote address.
	addrLimit = loginLimit{scope: "addr", max: 10, window: time.Minute,
		msg: "Te veel inlogpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw."}
	// nameLimit: 20 tries in 10 minutes for one name, from any number of addresses,
	// against guessing one organiser's password from many addresses. It counts every
	// name typed, known or not (under a keyed hash, never the text), so that a
	// refusal does not tell whether a name exists. An attacker can hold one
	// organiser out this way for as long as the attack lasts; that is the price of
	// the limit, and the security log on the audit page shows it happening.
	nameLimit = loginLimit{scope: "name", max: 20, window: 10 * time.Minute,
		msg: "Te veel inlogpogingen voor deze naam. Wacht tien minuten en probeer het opnieuw."}
)

// allow counts a try by subject and reports whether it is within l; if not, also
// how long until the window ends.
func (s *server) allow(ctx context.Context, l loginLimit, subject string) (bool, time.Duration, error) {
	now := s.now()
	start := now.Truncate(l.window)
	n, err := s.store.LoginTry(ctx, l.scope, subject, start, l.window)
	if err != nil {
		return false, 0, err
	}
	if n > l.max {
		return false, start.Add(l.window).Sub(now), nil
	}
	return true, 0, nil
}

// allowLogin applies both login limits: first the address, then the name. It
// fails closed: without Redis nobody logs in.
func (s *server) allowLogin(ctx context.Context, ip, name string) (ok bool, wait time.Duration, msg string, err error) {
	if ok, wait, err := s.allow(ctx, addrLimit, ip); err != nil || !ok {
		return false, wait, addrLimit.msg, err
	}
	if ok, wait, err := s.allow(ctx, nameLimit, s.nameSubject(name)); err != nil || !ok {
		return false, wait, nameLimit.msg, err
	}
	return true, 0, "", nil
}

// nameSubject is the key a name's tries count under: a keyed hash, so the counter
// never holds what was typed (which may be a password typed in the wrong field).
func (s *server) nameSubject(name string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("login-name\x00" + name))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
