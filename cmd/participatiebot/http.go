package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// httpTimeouts bound how long one client may hold a connection, so slow or idle
// clients (a body at 1 byte per 3 s) cannot keep connections open without end.
type httpTimeouts struct {
	ReadHeader time.Duration // to read a request's headers
	Read       time.Duration // to read a whole request, body included
	Write      time.Duration // from the end of the headers to the end of the response
	Idle       time.Duration // a kept-alive connection between two requests
}

// defaultHTTPTimeouts serve the web chat and the dashboard. Write bounds the longest
// handler: a web chat post waits for the engine (bot/web handleTimeout, 30 s) and
// then for the reply (web.DefaultReplyWait, 2 s); /updates answers at once. Read
// leaves a survey upload (64 KiB) half a minute. A handler that needs longer
// extends its own deadlines with http.NewResponseController.
var defaultHTTPTimeouts = httpTimeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
}

// maxHeaderBytes bounds a request's headers; the web chat's and the dashboard's
// cookies need a few hundred bytes.
const maxHeaderBytes = 64 << 10

// readyTimeout is how long /readyz waits for Redis to answer a PING.
const readyTimeout = time.Second

// newHTTPServer is the server of serve; tests build it with short timeouts.
func newHTTPServer(h http.Handler, t httpTimeouts, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.With("part", "http").Handler(), slog.LevelWarn),
	}
}

// pinger checks that the store answers.
type pinger func(ctx context.Context) error

// readyz answers 200 "ok" when Redis answers a PING within readyTimeout, else 503:
// a load balancer then sends residents elsewhere, while /healthz (liveness) keeps
// saying the process itself runs.
func readyz(ping pinger, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := ping(ctx); err != nil {
			log.Warn("not ready: redis does not answer", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "niet gereed: de opslag (Redis) antwoordt niet / not ready: Redis does not answer")
			return
		}
		fmt.Fprintln(w, "ok")
	})
}
