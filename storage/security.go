package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The security log counts failed dashboard logins in aggregate, per day: per name
// and per remote address. It is separate from the audit log, so unauthenticated
// traffic can never push organiser actions out, and it is bounded whatever an
// attacker sends: names are the configured users plus one bucket, and at most
// SecurityMaxAddrs addresses are kept per day, the rest counting as one.

// UnknownName is the bucket every failed login for a name that is not a dashboard
// user counts under: what was typed in the name field (it may be a password) is
// never stored.
const UnknownName = "(onbekende naam)"

// OtherAddrs is the bucket failed logins count under once a day already holds
// SecurityMaxAddrs distinct addresses.
const OtherAddrs = "overige adressen"

// SecurityMaxAddrs is how many distinct remote addresses one day of the security
// log keeps; with a few users and SecurityRetention that bounds the log to some ten
// thousand small entries under a sustained attack from many addresses.
const SecurityMaxAddrs = 100

// FailedLogin is one failed or refused dashboard login.
type FailedLogin struct {
	// Day is the window, "2006-01-02" in the dashboard's time zone.
	Day string
	// Name is a dashboard user's name or UnknownName; never what was typed otherwise.
	Name string
	// Addr is the remote address.
	Addr string
}

// countFailedLogin: KEYS[1] names HASH, KEYS[2] addresses HASH, KEYS[3] the name's
// addresses SET (all of one day). ARGV[1] name, ARGV[2] address, ARGV[3] the most
// distinct addresses kept, ARGV[4] the bucket for the others, ARGV[5] lifetime (s).
// Returns the address the try was counted under.
var countFailedLogin = newScript("countFailedLogin", `
local addr = ARGV[2]
if redis.call('HEXISTS', KEYS[2], addr) == 0 then
  local kept = redis.call('HLEN', KEYS[2]) - redis.call('HEXISTS', KEYS[2], ARGV[4])
  if kept >= tonumber(ARGV[3]) then addr = ARGV[4] end
end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HINCRBY', KEYS[2], addr, 1)
redis.call('SADD', KEYS[3], addr)
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return addr`)

// SecurityRetention is the longest a day of the security log is kept: it holds remote
// addresses, personal data that is needed only to see and report an attack, so not as
// long as the organisers' audit log.
const SecurityRetention = 90 * 24 * time.Hour

// RecordFailedLogin counts one failed login in its day's window; the window expires
// keep (at most SecurityRetention) after its last try.
func (s *Store) RecordFailedLogin(ctx context.Context, f FailedLogin, keep time.Duration) error {
	if keep <= 0 || keep > SecurityRetention {
		keep = SecurityRetention
	}
	if _, err := time.Parse(time.DateOnly, f.Day); err != nil || f.Name == "" {
		return fmt.Errorf("record failed login: day %q, name %q: want a date and a name", f.Day, f.Name)
	}
	keys := []string{securityNamesKey(f.Day), securityAddrsKey(f.Day), securityNameAddrsKey(f.Day, f.Name)}
	err := countFailedLogin.Run(ctx, s.rdb, keys, f.Name, f.Addr, SecurityMaxAddrs, OtherAddrs,
		int64(keep/time.Second)).Err()
	if err != nil {
		return fmt.Errorf("record failed login: %w", err)
	}
	return nil
}

// SecurityDay is one day of the security log.
type SecurityDay struct {
	Day string
	// Tries is the number of failed logins that day.
	Tries int64
	// Names are the tries per name, most first.
	Names []NameTries
	// Addrs are the tries per address, most first; OtherAddrs, when present, last.
	Addrs []AddrTries
}

// NameTries is the failed logins for one name in a day.
type NameTries struct {
	Name  string
	Tries int64
	// Addrs is the number of distinct addresses they came from; when OtherMore is
	// set, some came from addresses beyond the day's cap, so there were more.
	Addrs     int64
	OtherMore bool
}

// AddrTries is the failed logins from one address in a day.
type AddrTries struct {
	Addr  string
	Tries int64
}

// FailedLogins reads the security log of the given days ("2006-01-02").
func (s *Store) FailedLogins(ctx context.Context, days []string) ([]SecurityDay, error) {
	names := make([]*redis.MapStringStringCmd, len(days))
	addrs := make([]*redis.MapStringStringCmd, len(days))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, d := range days {
			names[i] = p.HGetAll(ctx, securityNamesKey(d))
			addrs[i] = p.HGetAll(ctx, securityAddrsKey(d))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load security log: %w", err)
	}
	out := make([]SecurityDay, len(days))
	type nameSet struct {
		day, name int
		card      *redis.IntCmd
		other     *redis.BoolCmd
	}
	var sets []nameSet
	for i, d := range days {
		out[i].Day = d
		for n, v := range names[i].Val() {
			c, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("security log %s, name count %q: %w", d, v, err)
			}
			out[i].Names = append(out[i].Names, NameTries{Name: n, Tries: c})
			out[i].Tries += c
		}
		for a, v := range addrs[i].Val() {
			c, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("security log %s, address count %q: %w", d, v, err)
			}
			out[i].Addrs = append(out[i].Addrs, AddrTries{Addr: a, Tries: c})
		}
		slices.SortFunc(out[i].Names, func(a, b NameTries) int {
			return cmp.Or(cmp.Compare(b.Tries, a.Tries), cmp.Compare(a.Name, b.Name))
		})
		slices.SortFunc(out[i].Addrs, func(a, b AddrTries) int {
			if (a.Addr == OtherAddrs) != (b.Addr == OtherAddrs) {
				if a.Addr == OtherAddrs {
					return 1
				}
				return -1
			}
			return cmp.Or(cmp.Compare(b.Tries, a.Tries), cmp.Compare(a.Addr, b.Addr))
		})
		for n := range out[i].Names {
			sets = append(sets, nameSet{day: i, name: n})
		}
	}
	if len(sets) == 0 {
		return out, nil
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for k, ns := range sets {
			key := securityNameAddrsKey(days[ns.day], out[ns.day].Names[ns.name].Name)
			sets[k].card = p.SCard(ctx, key)
			sets[k].other = p.SIsMember(ctx, key, OtherAddrs)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load security log addresses per name: %w", err)
	}
	for _, ns := range sets {
		nt := &out[ns.day].Names[ns.name]
		nt.Addrs, nt.OtherMore = ns.card.Val(), ns.other.Val()
		if nt.OtherMore {
			nt.Addrs-- // the bucket is not an address
		}
	}
	return out, nil
}

// countLoginTry: KEYS[1] counter STRING of one window. ARGV[1] lifetime (ms), set
// with the first try. Returns the tries in the window so far, this one included.
var countLoginTry = newScript("countLoginTry", `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`)

// LoginTry counts one dashboard login try by subject (scope "addr" with a remote
// address, "name" with a keyed hash of the name typed) in the fixed window that
// starts at start, and returns the tries in that window so far. The counter lives
// in Redis, so every replica counts against the same limit and a restart resets
// nothing; it expires one window after the window's end.
func (s *Store) LoginTry(ctx context.Context, scope, subject string, start time.Time, window time.Duration) (int64, error) {
	key := loginTryKey(scope, subject, strconv.FormatInt(start.Unix(), 10))
	n, err := countLoginTry.Run(ctx, s.rdb, []string{key}, (2 * window).Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("count login try: %w", err)
	}
	return n, nil
}

// RevokeSession marks a dashboard session signature as logged out for ttl, the rest
// of the session's life: after that the session has expired anyway. Shorter than a
// millisecond is stored as one.
func (s *Store) RevokeSession(ctx context.Context, sig string, ttl time.Duration) error {
	ttl = max(ttl, time.Millisecond)
	if err := s.durable.exec(ctx, s.rdb, revokedSessionKey(sig), func(p redis.Pipeliner) error {
		return p.Set(ctx, revokedSessionKey(sig), "1", ttl).Err()
	}); err != nil {
		return fmt.Errorf("revoke dashboard session: %w", err)
	}
	return nil
}

// SessionRevoked reports whether a dashboard session signature was logged out.
func (s *Store) SessionRevoked(ctx context.Context, sig string) (bool, error) {
	n, err := s.rdb.Exists(ctx, revokedSessionKey(sig)).Result()
	if err != nil {
		return false, fmt.Errorf("check dashboard logout: %w", err)
	}
	return n > 0, nil
}
