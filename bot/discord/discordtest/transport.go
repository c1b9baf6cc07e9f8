package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
)

// discordHosts are the hosts Transport sends to the fake instead.
var discordHosts = map[string]bool{
	"discord.com":        true,
	"gateway.discord.gg": true,
}

// Transport is an http.RoundTripper for the client under test: it sends requests for
// https://discord.com/… (discordgo's EndpointDiscord) and gateway.discord.gg to this
// server over plain HTTP, path and query unchanged, and refuses every other host so a
// test cannot reach the network. Use it as discordgo.Session.Client's Transport.
func (s *Server) Transport() http.RoundTripper {
	return &transport{s: s}
}

type transport struct {
	s *Server
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !discordHosts[req.URL.Hostname()] {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("discordtest: refusing %s %s: only discord.com is served, tests must not touch the network", req.Method, req.URL.Redacted())
	}
	base, err := url.Parse(t.s.ts.URL)
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL.Scheme = base.Scheme
	out.URL.Host = base.Host
	return t.s.tr.RoundTrip(out)
}
