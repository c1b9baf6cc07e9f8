package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRealIP(t *testing.T) {
	trusted, err := parseTrustedProxies("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy configured for this address", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7:5000"},
		{"through the proxy", "127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1:0"},
		{"a client's own header is not believed", "127.0.0.1:5000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1:0"},
		{"two proxies", "10.1.1.1:5000", []string{"198.51.100.1, 10.2.2.2"}, "198.51.100.1:0"},
		{"several headers", "10.1.1.1:5000", []string{"1.2.3.4", "198.51.100.9"}, "198.51.100.9:0"},
		{"garbage from the proxy", "127.0.0.1:5000", []string{"niet-een-adres"}, "127.0.0.1:5000"},
		{"only proxies", "127.0.0.1:5000", []string{"10.0.0.1"}, "127.0.0.1:5000"},
		{"no header", "127.0.0.1:5000", nil, "127.0.0.1:5000"},
		{"ipv6 client", "127.0.0.1:5000", []string{"2001:db8::1"}, "[2001:db8::1]:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := realIP(trusted, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got != tt.want {
				t.Errorf("RemoteAddr: got %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.local", "10.0.0"} {
		if _, err := parseTrustedProxies(bad); err == nil {
			t.Errorf("parseTrustedProxies(%q): got nil, want an error", bad)
		}
	}
}
