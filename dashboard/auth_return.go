package dashboard

import (
	"net/url"
	"path"
	"strings"
)

// maxReturn bounds a return path; dashboard paths are far shorter.
const maxReturn = 512

// safeReturn is the page to go to after logging in: a plain dashboard path, exactly
// as the dashboard writes its own links, or else the overview. Plain means: only
// letters, digits, '-', '.', '_', '~' and '/'; no query, fragment, percent-encoding
// or backslash (so nothing decodes to a dot segment or a slash later); no "." or
// ".." segment and no empty one; parsed by net/url to the same path; unchanged by
// path.Clean. The API, the login and logout paths and the static files are refused.
// Anything doubtful gives Prefix. The result also survives http.Redirect as is.
func safeReturn(p string) string {
	if !plainPath(p) || !strings.HasPrefix(p, Prefix) {
		return Prefix
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.RawPath != "" || u.Path != p {
		return Prefix
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(clean, "/") {
		clean += "/"
	}
	if clean != p {
		return Prefix
	}
	for _, refused := range []string{"api/", "login", "logout", "static/"} {
		if strings.HasPrefix(p, Prefix+refused) {
			return Prefix
		}
	}
	return p
}

// plainPath reports whether p is an absolute path of unreserved characters with no
// empty, "." or ".." segment (a trailing slash is allowed).
func plainPath(p string) bool {
	if p == "" || len(p) > maxReturn || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '/':
		default:
			return false
		}
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || (seg == "" && i != len(segs)-1) {
			return false
		}
	}
	return true
}
