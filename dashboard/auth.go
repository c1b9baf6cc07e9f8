package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

const (
	// cookieName is the session cookie, scoped to Prefix.
	cookieName = "pb_dashboard"
	// sessionTTL is how long a login lasts.
	sessionTTL = 12 * time.Hour
	// nonceLen is the length of a session's random nonce in bytes.
	nonceLen = 16
	// maxCookie bounds a session cookie value: name, expiry, nonce and signature
	// are far shorter.
	maxCookie = 1024
	// maxLoginForm bounds the login form body.
	maxLoginForm = 8 << 10
)

// msgBadLogin is the one message for every failed login: it does not tell whether
// the name exists.
const msgBadLogin = "Onjuiste naam of wachtwoord"

// session is a verified login.
type session struct {
	user    string
	expires time.Time
	// value is the whole cookie value; the CSRF token is derived from it.
	value string
	// sig is the signature part, the key under which a logout revokes the session.
	sig string
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) (session, bool) {
	ss, ok := ctx.Value(sessionKey{}).(session)
	return ss, ok
}

// userKey signs the sessions of one user. It includes the password, so changing a
// password in DASHBOARD_USERS ends that user's sessions.
func (s *server) userKey(u User) []byte {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("session\x00" + u.Name + "\x00" + u.Password))
	return m.Sum(nil)
}

// sign is the signature of a session: HMAC-SHA256 over name, expiry and nonce.
func (s *server) sign(u User, exp, nonce string) []byte {
	m := hmac.New(sha256.New, s.userKey(u))
	m.Write([]byte(u.Name + "\x00" + exp + "\x00" + nonce))
	return m.Sum(nil)
}

var b64 = base64.RawURLEncoding

// newSession makes the cookie value "name.expiry.nonce.signature" (name, nonce and
// signature base64url without padding, expiry in unix seconds, all in the one
// canonical form parseSession accepts).
func (s *server) newSession(u User) session {
	exp := s.now().Add(sessionTTL)
	nonce := make([]byte, nonceLen)
	_, _ = rand.Read(nonce) // never fails (crypto/rand since Go 1.24)
	e, n := strconv.FormatInt(exp.Unix(), 10), b64.EncodeToString(nonce)
	sig := b64.EncodeToString(s.sign(u, e, n))
	return session{user: u.Name, expires: time.Unix(exp.Unix(), 0), sig: sig,
		value: b64.EncodeToString([]byte(u.Name)) + "." + e + "." + n + "." + sig}
}

// parseSession verifies a cookie value: exactly the form newSession writes (each
// part re-encoded must give the same string: base64 decodes several strings to one
// value when the unused trailing bits differ, and a second spelling of a signature
// would slip past a logout), a known user, a valid signature, not expired and not
// logged out.
func (s *server) parseSession(ctx context.Context, v string) (session, bool) {
	parts := strings.Split(v, ".")
	if len(v) > maxCookie || len(parts) != 4 {
		return session{}, false
	}
	name, err := b64.DecodeString(parts[0])
	if err != nil || b64.EncodeToString(name) != parts[0] {
		return session{}, false
	}
	u, ok := s.user(string(name))
	if !ok {
		return session{}, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || strconv.FormatInt(exp, 10) != parts[1] {
		return session{}, false
	}
	nonce, err := b64.DecodeString(parts[2])
	if err != nil || len(nonce) != nonceLen || b64.EncodeToString(nonce) != parts[2] {
		return session{}, false
	}
	want := b64.EncodeToString(s.sign(u, parts[1], parts[2]))
	if !hmac.Equal([]byte(parts[3]), []byte(want)) {
		return session{}, false
	}
	if !s.now().Before(time.Unix(exp, 0)) {
		return session{}, false
	}
	revoked, err := s.store.SessionRevoked(ctx, want)
	if err != nil {
		// Fail closed: without Redis a logout cannot be checked.
		s.log.Error("dashboard session check", "user", u.Name, "err", err)
		return session{}, false
	}
	if revoked {
		return session{}, false
	}
	return session{user: u.Name, expires: time.Unix(exp, 0), value: v, sig: want}, true
}

func (s *server) user(name string) (User, bool) {
	for _, u := range s.cfg.Users {
		if u.Name == name {
			return u, true
		}
	}
	return User{}, false
}

// checkPassword finds the user with this name and password. It compares SHA-256
// digests in constant time against every user, so the time taken tells neither
// whether the name exists nor how much of the password was right.
func (s *server) checkPassword(name, password string) (User, bool) {
	n, p := sha256.Sum256([]byte(name)), sha256.Sum256([]byte(password))
	var found User
	ok := false
	for _, u := range s.cfg.Users {
		un, up := sha256.Sum256([]byte(u.Name)), sha256.Sum256([]byte(u.Password))
		nameOK, pwOK := hmac.Equal(n[:], un[:]), hmac.Equal(p[:], up[:])
		if nameOK && pwOK {
			found, ok = u, true
		}
	}
	return found, ok
}

// revoke ends a session before its expiry (logout). The signature is kept in Redis
// until the session would have expired anyway, so the logout holds on every replica
// and after a restart.
func (s *server) revoke(ctx context.Context, ss session) error {
	return s.store.RevokeSession(ctx, ss.sig, ss.expires.Sub(s.now()))
}

func (s *server) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// requireSession lets a request through only with a valid session. Without one a
// page request is sent to the login page (303) and anything else (a POST, the API)
// gets 401.
func (s *server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(cookieName); err == nil {
			if ss, ok := s.parseSession(r.Context(), c.Value); ok {
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, ss)))
				return
			}
		}
		api := strings.HasPrefix(r.URL.Path, Prefix+"api/")
		switch {
		case api:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "niet ingelogd"})
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			target := Prefix + "login"
			// The escaped path: an encoded slash or dot stays visible to safeReturn.
			if back := safeReturn(r.URL.EscapedPath()); back != Prefix {
				target += "?terug=" + url.QueryEscape(back)
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
		default:
			s.errorPage(w, r, http.StatusUnauthorized, "U bent niet (meer) ingelogd. Log opnieuw in en probeer het nog eens.")
		}
	})
}

type loginData struct {
	Name, Return string
	LoggedOut    bool
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has(oneTimeParam) {
		s.oneTimeLogin(w, r)
		return
	}
	if c, err := r.Cookie(cookieName); err == nil {
		if _, ok := s.parseSession(r.Context(), c.Value); ok {
			http.Redirect(w, r, safeReturn(r.URL.Query().Get("terug")), http.StatusSeeOther)
			return
		}
	}
	p := s.page(r, "Inloggen")
	p.Data = loginData{Return: safeReturn(r.URL.Query().Get("terug")), LoggedOut: r.URL.Query().Has("uitgelogd")}
	s.render(w, http.StatusOK, "login", p)
}

// login checks the limits, then the name and password. Every try that does not log
// in (a wrong name or password, or one refused by a limit) is counted in the
// security log, never in the audit log: unauthenticated traffic cannot push
// organiser actions out.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "Het formulier kon niet worden gelezen.")
		return
	}
	name, back := strings.TrimSpace(r.PostForm.Get("name")), safeReturn(r.PostForm.Get("terug"))
	ok, wait, msg, err := s.allowLogin(r.Context(), ip, name)
	if err != nil {
		s.serverError(w, r, "count login try", err)
		return
	}
	if !ok {
		s.log.Warn("dashboard login rate limited", "remote", ip)
		s.failedLogin(r.Context(), name, ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.errorPage(w, r, http.StatusTooManyRequests, msg)
		return
	}
	u, ok := s.checkPassword(name, r.PostForm.Get("password"))
	if !ok {
		s.failedLogin(r.Context(), name, ip)
		p := s.page(r, "Inloggen")
		p.Error = msgBadLogin
		p.Data = loginData{Name: name, Return: back}
		s.render(w, http.StatusUnauthorized, "login", p)
		return
	}
	ss := s.newSession(u)
	s.setCookie(w, ss.value, int(sessionTTL.Seconds()))
	s.audit(r.Context(), u.Name, "ingelogd")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// failedLogin counts a failed login in the security log: under the name when it is
// a user's, otherwise under storage.UnknownName (what was typed may be a password).
// A failure is logged, not shown: the answer to the visitor is the same.
func (s *server) failedLogin(ctx context.Context, name, ip string) {
	who := storage.UnknownName
	if _, known := s.user(name); known {
		who = name
	}
	day := s.now().In(s.cfg.Location).Format(time.DateOnly)
	err := s.store.RecordFailedLogin(ctx, storage.FailedLogin{Day: day, Name: who, Addr: ip}, s.cfg.AuditRetention)
	if err != nil {
		s.log.Error("dashboard security log", "err", err)
	}
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	s.setCookie(w, "", -1)
	if err := s.revoke(r.Context(), ss); err != nil {
		s.serverError(w, r, "log out", err)
		return
	}
	s.audit(r.Context(), ss.user, "uitgelogd")
	http.Redirect(w, r, Prefix+"login?uitgelogd", http.StatusSeeOther)
}

// audit writes an action of a logged-in organiser to the audit log; a failure is
// logged, not shown: the action itself has happened.
func (s *server) audit(ctx context.Context, who, action string) {
	s.migrateAudit(ctx)
	err := s.store.AuditFor(ctx, storage.AuditEntry{Time: s.now(), Who: who, Action: action}, s.cfg.AuditRetention)
	if err != nil {
		s.log.Error("dashboard audit", "who", who, "action", action, "err", err)
	}
}

// migrateAudit moves the audit LIST of earlier versions into the audit log, once
// per server; after a failure the next action tries again.
func (s *server) migrateAudit(ctx context.Context) {
	if s.auditMigrated.Load() {
		return
	}
	n, err := s.store.MigrateAuditList(ctx, s.cfg.AuditRetention)
	if err != nil {
		s.log.Error("dashboard audit migration", "moved", n, "err", err)
		return
	}
	if n > 0 {
		s.log.Info("dashboard audit log migrated", "entries", n)
	}
	s.auditMigrated.Store(true)
}

// remoteIP is the address the request came from. X-Forwarded-For is not trusted:
// behind a proxy every login counts against the proxy's address.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
