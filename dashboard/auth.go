package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

const (
	// cookieName is the session cookie, scoped to Prefix.
	cookieName = "pb_dashboard"
	// sessionTTL is how long a login lasts.
	sessionTTL = 12 * time.Hour
	// loginTries login attempts per loginWindow are allowed from one remote address.
	loginTries  = 10
	loginWindow = time.Minute
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
// signature base64url, expiry in unix seconds).
func (s *server) newSession(u User) session {
	exp := s.now().Add(sessionTTL)
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce) // never fails (crypto/rand since Go 1.24)
	e, n := strconv.FormatInt(exp.Unix(), 10), b64.EncodeToString(nonce)
	sig := b64.EncodeToString(s.sign(u, e, n))
	return session{user: u.Name, expires: exp, sig: sig,
		value: b64.EncodeToString([]byte(u.Name)) + "." + e + "." + n + "." + sig}
}

// parseSession verifies a cookie value: a known user, a valid signature, not
// expired and not logged out.
func (s *server) parseSession(v string) (session, bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 4 {
		return session{}, false
	}
	name, err := b64.DecodeString(parts[0])
	if err != nil {
		return session{}, false
	}
	u, ok := s.user(string(name))
	if !ok {
		return session{}, false
	}
	sig, err := b64.DecodeString(parts[3])
	if err != nil || !hmac.Equal(sig, s.sign(u, parts[1], parts[2])) {
		return session{}, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !s.now().Before(time.Unix(exp, 0)) {
		return session{}, false
	}
	if s.isRevoked(parts[3]) {
		return session{}, false
	}
	return session{user: u.Name, expires: time.Unix(exp, 0), value: v, sig: parts[3]}, true
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

// revoke ends a session before its expiry (logout). Revocations live in memory:
// with several replicas a logged-out cookie stays valid on the others until it
// expires, at most sessionTTL.
func (s *server) revoke(ss session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for sig, exp := range s.revoked {
		if now.After(exp) {
			delete(s.revoked, sig)
		}
	}
	s.revoked[ss.sig] = ss.expires
}

func (s *server) isRevoked(sig string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.revoked[sig]
	return ok
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
			if ss, ok := s.parseSession(c.Value); ok {
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
			if back := safeReturn(r.URL.Path); back != Prefix {
				target += "?terug=" + url.QueryEscape(back)
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
		default:
			s.errorPage(w, r, http.StatusUnauthorized, "U bent niet (meer) ingelogd. Log opnieuw in en probeer het nog eens.")
		}
	})
}

// safeReturn is the page to go to after logging in: a dashboard path, never another
// site ("//evil.example") nor the API; anything else gives the overview.
func safeReturn(p string) string {
	if p == "" || !strings.HasPrefix(p, Prefix) || strings.ContainsAny(p, "\\\r\n\t") ||
		strings.Contains(p, "//") || path.Clean(p) != strings.TrimSuffix(p, "/") ||
		strings.HasPrefix(p, Prefix+"api/") || strings.HasPrefix(p, Prefix+"login") {
		return Prefix
	}
	return p
}

type loginData struct {
	Name, Return string
	LoggedOut    bool
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		if _, ok := s.parseSession(c.Value); ok {
			http.Redirect(w, r, safeReturn(r.URL.Query().Get("terug")), http.StatusSeeOther)
			return
		}
	}
	p := s.page(r, "Inloggen")
	p.Data = loginData{Return: safeReturn(r.URL.Query().Get("terug")), LoggedOut: r.URL.Query().Has("uitgelogd")}
	s.render(w, http.StatusOK, "login", p)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	if ok, wait := s.limiter.allow(ip, s.now()); !ok {
		s.log.Warn("dashboard login rate limited", "remote", ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.errorPage(w, r, http.StatusTooManyRequests,
			"Te veel inlogpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "Het formulier kon niet worden gelezen.")
		return
	}
	name, back := strings.TrimSpace(r.PostForm.Get("name")), safeReturn(r.PostForm.Get("terug"))
	u, ok := s.checkPassword(name, r.PostForm.Get("password"))
	if !ok {
		who := "(onbekende naam)"
		if _, known := s.user(name); known {
			who = name // only a known name: a password typed in the name field is never kept
		}
		s.audit(r.Context(), who, "inloggen mislukt")
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

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	s.revoke(ss)
	s.setCookie(w, "", -1)
	s.audit(r.Context(), ss.user, "uitgelogd")
	http.Redirect(w, r, Prefix+"login?uitgelogd", http.StatusSeeOther)
}

// audit writes an action to the audit log; a failure is logged, not shown: the
// action itself has happened.
func (s *server) audit(ctx context.Context, who, action string) {
	err := s.store.Audit(ctx, storage.AuditEntry{Time: s.now(), Who: who, Action: action})
	if err != nil {
		s.log.Error("dashboard audit", "who", who, "action", action, "err", err)
	}
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

// limiter allows max tries per key in a fixed window of time.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string]*hits
}

type hits struct {
	start time.Time
	n     int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string]*hits{}}
}

// allow counts a try for key and reports whether it is within the limit; if not,
// also how long until the next try is allowed.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) > 10000 {
		for k, h := range l.hits {
			if now.Sub(h.start) >= l.window {
				delete(l.hits, k)
			}
		}
	}
	h := l.hits[key]
	if h == nil || now.Sub(h.start) >= l.window {
		h = &hits{start: now}
		l.hits[key] = h
	}
	if h.n >= l.max {
		return false, h.start.Add(l.window).Sub(now)
	}
	h.n++
	return true, 0
}
