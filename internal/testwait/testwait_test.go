package testwait

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// fakeTB records Fatalf instead of failing the real test.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fails runs wait on a fake TB in a goroutine of its own (Fatalf ends it) and
// returns the failure message, "" when wait returned.
func fails(t *testing.T, wait func(tb testing.TB)) string {
	ft := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait(ft)
	}()
	<-done
	return ft.msg
}

func TestWaits(t *testing.T) {
	tests := []struct {
		name string
		wait func(tb testing.TB)
		want string
	}{
		{name: "For holds", wait: func(tb testing.TB) {
			n := 0
			For(tb, time.Second, "three looks", func() bool { n++; return n == 3 })
		}},
		{name: "For times out", want: "timed out after 20ms waiting for never", wait: func(tb testing.TB) {
			For(tb, 20*time.Millisecond, "never", func() bool { return false })
		}},
		{name: "Until holds", wait: func(tb testing.TB) {
			Until(tb, time.Second, "now", func() (bool, string) { return true, "" })
		}},
		{name: "Until says what it saw", want: "timed out after 30ms waiting for five; last saw: 4", wait: func(tb testing.TB) {
			Until(tb, 30*time.Millisecond, "five", func() (bool, string) { return false, "4" })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fails(t, tt.wait); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPoll(t *testing.T) {
	if got, want := Poll(20*time.Millisecond, func() bool { return false }), false; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	start := time.Now()
	if got, want := Poll(time.Second, func() bool { return time.Since(start) > 10*time.Millisecond }), true; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
