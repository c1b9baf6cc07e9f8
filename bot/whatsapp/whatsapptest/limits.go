package whatsapptest

import (
	"time"
)

// Throughput, as documented at
// https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput:
// "For each registered business phone number, Cloud API supports up to 80 messages
// per second (mps) by default … If you attempt to send more messages than your
// current throughput level allows, the API will return error code 130429 until you
// are within your allowed level again. … If you attempt to send too many messages
// to the same WhatsApp user number, you may encounter a pair rate limit error"
// (131056). The pair rate is about one message every 6 seconds to one user, with a
// short burst allowed; the fake models it as a token bucket of PairBurst messages
// refilled by one every PairEvery. Both run on the fake's clock (SetNow).

// Limits are the limits the fake enforces; zero fields enforce nothing.
type Limits struct {
	PerSecond int           // messages accepted per phone number in any one second
	PairBurst int           // messages to one recipient accepted at once
	PairEvery time.Duration // one more message to that recipient allowed after each PairEvery
}

// DefaultLimits are Meta's defaults: 80 messages per second; to one recipient a
// burst of 45 then one every 6 seconds.
func DefaultLimits() Limits {
	return Limits{PerSecond: 80, PairBurst: 45, PairEvery: 6 * time.Second}
}

// LimitStats is what the fake saw of the bot's pacing.
type LimitStats struct {
	Refused        int // messages refused by the enforced limits (130429 and 131056)
	InsideThrottle int // messages that arrived while a limit answered earlier had not yet lifted
	MaxPerSecond   int // most messages that arrived within any one second
	MaxPerPair     int // most messages to one recipient that arrived within any PairEvery (6s when unset)
}

// limiter is the rate limiting state, guarded by Server.mu.
type limiter struct {
	limits      Limits
	accepted    []time.Time // accepted messages of the last second
	pairs       map[string]*bucket
	numberQuiet time.Time            // 130429 lifts here
	pairQuiet   map[string]time.Time // 131056 lifts here, by recipient
	arrivals    []arrival
	refused     int
	inside      int
}

type bucket struct {
	tokens float64
	at     time.Time
}

type arrival struct {
	to string
	at time.Time
}

// SetLimits replaces the enforced limits (DefaultLimits at Start; Limits{} turns
// them off) and forgets the quota used so far. LimitStats keeps counting.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flood.limits = l
	s.flood.accepted, s.flood.pairs = nil, map[string]*bucket{}
	s.flood.numberQuiet, s.flood.pairQuiet = time.Time{}, map[string]time.Time{}
}

// LimitStats reports the rate counts so far.
func (s *Server) LimitStats() LimitStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &s.flood
	pairWindow := f.limits.PairEvery
	if pairWindow <= 0 {
		pairWindow = 6 * time.Second
	}
	st := LimitStats{Refused: f.refused, InsideThrottle: f.inside}
	st.MaxPerSecond = maxInWindow(f.arrivals, time.Second, func(arrival) bool { return true })
	seen := map[string]bool{}
	for _, a := range f.arrivals {
		if seen[a.to] {
			continue
		}
		seen[a.to] = true
		to := a.to
		st.MaxPerPair = max(st.MaxPerPair, maxInWindow(f.arrivals, pairWindow, func(b arrival) bool { return b.to == to }))
	}
	return st
}

// arrive notes a message as it comes in, before any check.
func (f *limiter) arrive(to string, now time.Time) {
	f.arrivals = append(f.arrivals, arrival{to: to, at: now})
	if now.Before(f.numberQuiet) || now.Before(f.pairQuiet[to]) {
		f.inside++
	}
}

// enforce accepts a message to recipient to within the limits, or refuses it.
func (f *limiter) enforce(to string, now time.Time) *graphError {
	l := f.limits
	i := 0
	for i < len(f.accepted) && now.Sub(f.accepted[i]) >= time.Second {
		i++
	}
	f.accepted = f.accepted[i:]
	if l.PerSecond > 0 && len(f.accepted) >= l.PerSecond {
		f.refused++
		f.numberQuiet = f.accepted[len(f.accepted)-l.PerSecond].Add(time.Second)
		return apiError(CodeRateLimitHit, "")
	}
	if l.PairBurst > 0 && l.PairEvery > 0 {
		b := f.pairs[to]
		if b == nil {
			b = &bucket{tokens: float64(l.PairBurst), at: now}
			f.pairs[to] = b
		}
		b.tokens = min(float64(l.PairBurst), b.tokens+float64(now.Sub(b.at))/float64(l.PairEvery))
		b.at = now
		if b.tokens < 1 {
			f.refused++
			f.pairQuiet[to] = now.Add(time.Duration((1 - b.tokens) * float64(l.PairEvery)))
			return apiError(CodePairRateLimitHit, "")
		}
		b.tokens--
	}
	f.accepted = append(f.accepted, now)
	return nil
}

// maxInWindow is the most arrivals kept by keep within any span shorter than window.
// Arrivals are recorded under the lock as they come, so they are in order.
func maxInWindow(all []arrival, window time.Duration, keep func(arrival) bool) int {
	var times []time.Time
	for _, a := range all {
		if keep(a) {
			times = append(times, a.at)
		}
	}
	best, first := 0, 0
	for last, t := range times {
		for t.Sub(times[first]) >= window {
			first++
		}
		best = max(best, last-first+1)
	}
	return best
}

// canned is a failure injected by FailNext or FailNextAsync.
type canned struct {
	code  int
	async bool
}

// FailNext answers the next n messages with error code (e.g. 131026 undeliverable,
// 131048 spam rate limit, 80007, 133016, 4) in its documented shape and HTTP status,
// before any limit or content check. They are not counted in LimitStats.
func (s *Server) FailNext(code, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, canned{code: code})
	}
}

// FailNextAsync accepts the next n messages that pass every check, then reports
// each as failed with code in a status webhook, as Meta reports errors it finds only
// after accepting a message (131026 undeliverable among them).
func (s *Server) FailNextAsync(code, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, canned{code: code, async: true})
	}
}

// takeCannedLocked takes the first injected failure if it is of the given kind.
func (s *Server) takeCannedLocked(async bool) (int, bool) {
	if len(s.canned) == 0 || s.canned[0].async != async {
		return 0, false
	}
	c := s.canned[0]
	s.canned = s.canned[1:]
	return c.code, true
}
