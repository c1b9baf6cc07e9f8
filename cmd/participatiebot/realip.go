package main

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy every request comes from the proxy's address, so the per-address
// limits of the web chat and the dashboard's login would count all residents together.
// With TRUSTED_PROXIES set, a request from one of those proxies is taken to come from the
// address the proxies put in X-Forwarded-For: the rightmost one that is not itself a
// trusted proxy (a client can prepend anything it likes, but not what the proxies
// append). Without it, X-Forwarded-For is ignored.

// parseTrustedProxies reads "10.0.0.0/8,127.0.0.1" into prefixes.
func parseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q: want an IP address or a network such as 10.0.0.0/8", part)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q: want an IP address or a network such as 10.0.0.0/8", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// realIP sets RemoteAddr of requests that came through a trusted proxy to the client's
// address; h sees every request as from its client.
func realIP(trusted []netip.Prefix, h http.Handler) http.Handler {
	if len(trusted) == 0 {
		return h
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !isTrusted(host) {
			h.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if isTrusted(hop) {
				continue
			}
			if a, err := netip.ParseAddr(hop); err == nil {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = netip.AddrPortFrom(a.Unmap(), 0).String()
				h.ServeHTTP(w, r2)
				return
			}
			break // garbage where the proxy writes: keep the proxy's address
		}
		h.ServeHTTP(w, r)
	})
}
