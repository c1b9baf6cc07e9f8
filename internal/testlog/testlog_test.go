package testlog

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Loggers on several goroutines write whole lines into one buffer (run with -race).
func TestBufferConcurrent(t *testing.T) {
	var b Buffer
	log := slog.New(slog.NewTextHandler(&b, nil))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				log.Info("sent")
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if got, want := strings.Count(b.String(), "msg=sent\n"), 400; got != want {
		t.Errorf("got %v lines, want %v", got, want)
	}
}
