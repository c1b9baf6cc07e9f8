package web

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// TestReady: the web chat is ready while Run runs, and only then.
func TestReady(t *testing.T) {
	store := storage.New(redistest.Start(t).Client(t))
	ch, err := New(Config{Secret: []byte("0123456789abcdef-test-secret"), PublicURL: publicURL}, store,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Ready(); err == nil {
		t.Error("before Run: got ready, want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = ch.Run(ctx, &fakeEngine{ch: ch}); close(done) }()
	testwait.For(t, 5*time.Second, "ready while Run runs", func() bool { return ch.Ready() == nil })
	cancel()
	<-done
	if err := ch.Ready(); err == nil {
		t.Error("after Run: got ready, want an error")
	}
}
