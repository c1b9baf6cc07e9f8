package whatsapptest

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestThroughputLimit(t *testing.T) {
	s, _ := started(t)
	c := newClock()
	s.SetNow(c.now)
	s.SetLimits(Limits{PerSecond: 5})
	var to []string
	for i := range 7 {
		to = append(to, fmt.Sprintf("3161000000%d", i))
		s.SendText(to[i], "hoi")
	}
	for i := range 5 {
		if a := send(t, s, to[i], "text", text("bericht")); a.code() != 0 {
			t.Fatalf("message %d: got %+v, want accepted", i+1, a.Error)
		}
	}
	a := send(t, s, to[5], "text", text("bericht"))
	assertGraphError(t, a, http.StatusTooManyRequests, CodeRateLimitHit)
	if a.Error.Subcode != 2494055 {
		t.Errorf("got subcode %d, want 2494055 as in the documented example", a.Error.Subcode)
	}
	send(t, s, to[6], "text", text("nog een")) // arrives while throttled
	c.advance(time.Second)
	if a := send(t, s, to[6], "text", text("later")); a.code() != 0 {
		t.Fatalf("a second later: got %+v, want accepted", a.Error)
	}
	got := s.LimitStats()
	want := LimitStats{Refused: 2, InsideThrottle: 1, MaxPerSecond: 7, MaxPerPair: 2}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestPairRateLimit(t *testing.T) {
	s, _ := started(t)
	c := newClock()
	s.SetNow(c.now)
	s.SendText(resident, "hoi") // the window on the new clock
	s.SetLimits(Limits{PairBurst: 2, PairEvery: 6 * time.Second})
	for i := range 2 {
		if a := send(t, s, resident, "text", text("bericht")); a.code() != 0 {
			t.Fatalf("message %d: got %+v, want accepted", i+1, a.Error)
		}
	}
	assertGraphError(t, send(t, s, resident, "text", text("te veel")), http.StatusTooManyRequests, CodePairRateLimitHit)
	c.advance(3 * time.Second)
	assertGraphError(t, send(t, s, resident, "text", text("nog te vroeg")), http.StatusTooManyRequests, CodePairRateLimitHit)
	other := "31699999999"
	s.SendText(other, "hoi")
	if a := send(t, s, other, "text", text("ander")); a.code() != 0 {
		t.Fatalf("another recipient: got %+v, want accepted", a.Error)
	}
	c.advance(3 * time.Second)
	if a := send(t, s, resident, "text", text("weer")); a.code() != 0 {
		t.Fatalf("6s later: got %+v, want accepted", a.Error)
	}
	got := s.LimitStats()
	if got.Refused != 2 || got.InsideThrottle != 1 || got.MaxPerPair != 4 {
		t.Fatalf("got %+v, want Refused 2, InsideThrottle 1, MaxPerPair 4", got)
	}
}

func TestFailNext(t *testing.T) {
	s, r := started(t)
	tests := []struct {
		code       int
		wantStatus int
	}{
		{131026, http.StatusBadRequest},
		{131048, http.StatusTooManyRequests},
		{80007, http.StatusTooManyRequests},
		{133016, http.StatusBadRequest},
		{4, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			s.FailNext(tt.code, 2)
			for range 2 {
				assertGraphError(t, send(t, s, resident, "text", text("hoi")), tt.wantStatus, tt.code)
			}
			if a := send(t, s, resident, "text", text("hoi")); a.code() != 0 {
				t.Fatalf("third: got %+v, want accepted", a.Error)
			}
		})
	}
	if st := s.LimitStats(); st.Refused != 0 {
		t.Errorf("got Refused %d, want injected failures left out", st.Refused)
	}

	s.SetStatuses()
	s.FailNextAsync(131026, 1)
	a := send(t, s, resident, "text", text("komt niet aan"))
	if a.code() != 0 {
		t.Fatalf("async failure: got %+v, want accepted first", a.Error)
	}
	s.WaitFor(t, 5*time.Second, "the failed status", func() (bool, string) {
		ds := kindOf(s.Deliveries(), "status")
		return len(ds) > 0 && ds[len(ds)-1].Status == StatusFailed, fmt.Sprint(len(r.received()), " posts")
	})
	ds := kindOf(s.Deliveries(), "status")
	n := decode(t, ds[len(ds)-1].Body)
	st := n.Entry[0].Changes[0].Value.Statuses[0]
	if st.ID != a.messageID() || st.RecipientID != resident || len(st.Errors) != 1 || st.Errors[0].Code != 131026 || st.Errors[0].ErrorData == nil {
		t.Fatalf("got status %+v, want failed %s with error 131026 and details", st, a.messageID())
	}
}
