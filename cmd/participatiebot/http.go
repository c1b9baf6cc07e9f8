package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/participatiebot/participatiebot/bot"
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

// readyTimeout is how long /readyz waits for Redis to answer a PING (every master's,
// on a Cluster).
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

// readyz answers 200 "ok" when this replica can serve: Redis answers a PING within
// readyTimeout (on a Cluster every master) and every channel that can tell
// (bot.Readier) is connected. Else 503, naming on a line each what is not ready:
// a load balancer then sends residents elsewhere, while /healthz (liveness) keeps
// saying the process itself runs. The body says no more than an operator needs (the
// Redis error, which may name internal addresses, goes to the log only).
func readyz(ping pinger, channels []bot.Channel, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		var problems []string
		if err := ping(ctx); err != nil {
			log.Warn("not ready: redis does not answer", "err", err)
			problems = append(problems, "redis: de opslag (Redis) antwoordt niet / Redis does not answer")
		}
		for _, ch := range channels {
			rd, ok := ch.(bot.Readier)
			if !ok {
				continue
			}
			if err := rd.Ready(); err != nil {
				log.Warn("not ready: channel not connected", "channel", ch.Name(), "err", err)
				problems = append(problems, fmt.Sprintf("%s: niet verbonden / not connected (%v)", ch.Name(), err))
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(problems) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "niet gereed / not ready")
			for _, p := range problems {
				fmt.Fprintln(w, p)
			}
			return
		}
		fmt.Fprintln(w, "ok")
	})
}
