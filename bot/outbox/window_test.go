package outbox

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// A window's steps on a made-up clock: when it lets sends through and how long it
// says to wait.
func TestWindowSteps(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	type step struct {
		at       int // ms after t0
		take     bool
		answerAt int // when taken: answered this many ms after t0 (-1: left unanswered)
		wantWait time.Duration
		messages int // 0: 1
	}
	tests := []struct {
		name      string
		perSecond float64
		burst     int
		steps     []step
	}{
		{name: "one a second, no burst", perSecond: 1, burst: 3, steps: []step{
			{at: 0, take: true, answerAt: 40},
			{at: 50, wantWait: 990 * time.Millisecond}, // a second after the answer, not after the send
			{at: 1039, wantWait: time.Millisecond},
			{at: 1040, take: true, answerAt: 1100},
		}},
		{name: "spaced after a burst of two", perSecond: 4, burst: 2, steps: []step{
			{at: 0, take: true, answerAt: 1},
			{at: 0, take: true, answerAt: 1},
			{at: 0, wantWait: 250 * time.Millisecond},
			{at: 250, take: true, answerAt: 251},
			{at: 251, wantWait: 249 * time.Millisecond},
			{at: 500, take: true, answerAt: 501},
			{at: 750, wantWait: 251 * time.Millisecond}, // four in the last second: the first answer's second
			{at: 1001, take: true, answerAt: 1002},
		}},
		{name: "an unanswered send holds its place", perSecond: 1, steps: []step{
			{at: 0, take: true, answerAt: -1},
			{at: 1500, wantWait: 1500 * time.Millisecond}, // slowAfter, then the second
			{at: 3000, take: true, answerAt: 3001},
		}},
		{name: "an album of five at one a second", perSecond: 1, steps: []step{
			{at: 0, take: true, answerAt: 10, messages: 5},
			{at: 1010, wantWait: 3990 * time.Millisecond}, // five intervals after it
			{at: 5000, take: true, answerAt: 5001},
		}},
		{name: "an album waits for its places", perSecond: 4, burst: 4, steps: []step{
			{at: 0, take: true, answerAt: 1},
			{at: 0, take: true, answerAt: 1},
			{at: 0, messages: 3, wantWait: time.Second + time.Millisecond},
			{at: 0, messages: 2, wantWait: 0},
		}},
		{name: "below one a second", perSecond: 0.5, steps: []step{
			{at: 0, take: true, answerAt: 0},
			{at: 1000, wantWait: time.Second},
			{at: 2000, take: true, answerAt: 2000},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWindow(tt.perSecond, tt.burst)
			for i, s := range tt.steps {
				got := w.wait(ms(s.at), max(s.messages, 1))
				if s.take {
					if got != 0 {
						t.Fatalf("step %d at %dms: got wait %s, want to go", i, s.at, got)
					}
					tok := w.take(ms(s.at), max(s.messages, 1))
					if s.answerAt >= 0 {
						w.answered(tok, ms(s.answerAt))
					}
					continue
				}
				if got != s.wantWait {
					t.Errorf("step %d at %dms: got wait %s, want %s", i, s.at, got, s.wantWait)
				}
			}
		})
	}
	if w := newWindow(0, 5); w != nil {
		t.Errorf("no limit: got a window %+v, want nil", w)
	}
}

// Driven as the dispatcher drives it, with answers that come back after random delays
// and in any order, a window never has more than n sends in any span of w, counted
// from sends to answers as the platform sees them; and it keeps close to the rate.
func TestWindowNeverExceeds(t *testing.T) {
	tests := []struct {
		perSecond float64
		burst     int
	}{{28, 2}, {1000, 1000}, {1, 3}, {45, 5}}
	for _, tt := range tests {
		w := newWindow(tt.perSecond, tt.burst)
		rng := rand.New(rand.NewPCG(1, uint64(tt.perSecond)))
		now := time.Unix(1_800_000_000, 0)
		end := now.Add(10 * time.Second)
		type pending struct{ token, answer time.Time }
		var out []pending
		var arrivals []time.Time // when the platform saw each send: between send and answer
		for now.Before(end) {
			// answers due by now come back
			sort.Slice(out, func(i, j int) bool { return out[i].answer.Before(out[j].answer) })
			for len(out) > 0 && !out[0].answer.After(now) {
				w.answered(out[0].token, out[0].answer)
				out = out[1:]
			}
			d := w.wait(now, 1)
			if d == 0 {
				tok := w.take(now, 1)
				latency := time.Duration(rng.IntN(80)) * time.Millisecond
				out = append(out, pending{token: tok, answer: now.Add(latency)})
				arrivals = append(arrivals, now.Add(time.Duration(rng.Int64N(int64(latency)+1))))
				continue
			}
			step := min(d, time.Millisecond)
			if len(out) > 0 {
				step = min(step, out[0].answer.Sub(now))
			}
			now = now.Add(max(step, time.Microsecond))
		}
		sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
		most, first := 0, 0
		for last, a := range arrivals {
			for a.Sub(arrivals[first]) >= time.Second {
				first++
			}
			most = max(most, last-first+1)
		}
		if most > w.n {
			t.Errorf("%v/s: got %d sends within a second, want at most %d", tt.perSecond, most, w.n)
		}
		// with answers within 80 ms, a second's places come back within 1.08 s
		if rate := float64(len(arrivals)) / 10; rate < tt.perSecond/1.09 {
			t.Errorf("%v/s: got %.1f sends a second, want at least %.1f", tt.perSecond, rate, tt.perSecond/1.09)
		}
	}
}

// TestBucket: a bucket (WhatsApp's pair rate) lets its whole burst go at once and
// then one send each interval, and in no span more than the burst and the span's
// worth of the rate.
func TestBucket(t *testing.T) {
	w := newBucket(1.0/6, 40)
	now := time.Unix(1_800_000_000, 0)
	start := now
	var sent []time.Time
	for now.Before(start.Add(2 * time.Minute)) {
		if d := w.wait(now, 1); d > 0 {
			now = now.Add(d)
			continue
		}
		tok := w.take(now, 1)
		w.answered(tok, now.Add(50*time.Millisecond))
		sent = append(sent, now)
	}
	if len(sent) < 40 || !sent[39].Equal(start) {
		t.Fatalf("the burst: %d sends, the 40th at %v, want 40 at once", len(sent), sent[min(39, len(sent)-1)].Sub(start))
	}
	if got := sent[40].Sub(start); got != 6*time.Second {
		t.Errorf("the 41st after %v, want 6s", got)
	}
	if want := 40 + 120/6 - 1; len(sent) != want {
		t.Errorf("%d sends in 2 minutes, want %d (the burst and one each 6 s)", len(sent), want)
	}
}
