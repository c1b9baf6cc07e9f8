package telegramtest

import (
	"math"
	"net/http"
	"time"
)

// Flood control: with EnforceLimits the fake refuses send-type calls beyond Telegram's
// limits, as Telegram does ("If you're sending bulk notifications to multiple users,
// the API will not allow more than 30 messages per second or so"; "avoid sending more
// than one message per second" in one chat:
// https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
// answering 429 "Too Many Requests: retry after N" with parameters.retry_after N. Each
// 429, whoever caused it (the limits, RateLimit, a hook's Throttle), tells the bot to
// send nothing for N seconds; LimitStats counts the calls that came in all the same.
// The limits are checked after the hook, the canned failures and Block: a held, failed
// or blocked call uses no quota.

// Limits are the limits the fake enforces; zero fields enforce nothing.
type Limits struct {
	Global  int // send-type calls accepted in any one second, all chats together
	PerChat int // send-type calls accepted in any one second in one chat
	// InFlight, when set, is how soon after a 429 was answered a call may still arrive
	// without counting as inside its retry_after: with several processes, another one's
	// request let through before the 429 existed is on its way and cannot be recalled.
	// Those calls are counted apart (LimitStats.InFlight).
	InFlight time.Duration
}

// LimitStats is what the fake saw of the bot's pacing.
type LimitStats struct {
	Refused          int // calls answered 429 by the enforced limits
	InsideRetryAfter int // send-type calls that arrived while a retry_after answered earlier had not passed
	InFlight         int // calls that arrived within Limits.InFlight of a 429 answered: counted here, not as inside
	MaxGlobal        int // most send-type calls that arrived within any one second
	MaxPerChat       int // most send-type calls to one chat that arrived within any one second
}

// limiter is the fake's flood control state, guarded by Server.mu.
type limiter struct {
	limits     Limits
	global     []time.Time           // accepted calls of the last second
	perChat    map[int64][]time.Time // accepted calls of the last second, by chat
	quietUntil time.Time             // the latest retry_after answered ends here
	toldAt     time.Time             // when the latest 429 was answered
	refused    int
	inside     int
	inFlight   int
}

// EnforceLimits turns flood control on with l (a zero Limits turns it off). Counting
// in LimitStats starts at once, whatever the limits.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flood.limits = l
	s.flood.global, s.flood.perChat = nil, map[int64][]time.Time{}
}

// LimitStats reports the flood control counts so far.
func (s *Server) LimitStats() LimitStats {
	s.mu.Lock()
	st := LimitStats{Refused: s.flood.refused, InsideRetryAfter: s.flood.inside, InFlight: s.flood.inFlight}
	s.mu.Unlock()
	st.MaxGlobal = s.MaxGlobalRate(time.Second)
	st.MaxPerChat = s.maxPerChatRate(time.Second)
	return st
}

// arrive notes a send-type call as it comes in: inside a retry_after told earlier, it
// is counted.
func (s *Server) arrive() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	switch f := &s.flood; {
	case !now.Before(f.quietUntil):
	case f.limits.InFlight > 0 && now.Sub(f.toldAt) < f.limits.InFlight:
		f.inFlight++
	default:
		f.inside++
	}
}

// enforce accepts a send-type call to chatID within the limits, or refuses it with 429.
func (s *Server) enforce(chatID int64) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &s.flood
	now := time.Now()
	f.global = recent(f.global, now)
	if f.perChat == nil {
		f.perChat = map[int64][]time.Time{}
	}
	chat := recent(f.perChat[chatID], now)
	if len(chat) == 0 {
		delete(f.perChat, chatID)
	} else {
		f.perChat[chatID] = chat
	}
	var wait time.Duration
	if f.limits.Global > 0 && len(f.global) >= f.limits.Global {
		wait = f.global[len(f.global)-f.limits.Global].Add(time.Second).Sub(now)
	}
	if f.limits.PerChat > 0 && len(chat) >= f.limits.PerChat {
		wait = max(wait, chat[len(chat)-f.limits.PerChat].Add(time.Second).Sub(now))
	}
	if wait > 0 {
		f.refused++
		return Throttle(int(math.Ceil(wait.Seconds()))).apiError()
	}
	f.global = append(f.global, now)
	if f.limits.PerChat > 0 {
		f.perChat[chatID] = append(chat, now)
	}
	return nil
}

// told notes an answer to a send-type call: a 429 starts a retry_after window.
func (s *Server) told(aerr *apiError) {
	if aerr == nil || aerr.code != http.StatusTooManyRequests || aerr.retryAfter <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.flood.toldAt = now
	if until := now.Add(time.Duration(aerr.retryAfter) * time.Second); until.After(s.flood.quietUntil) {
		s.flood.quietUntil = until
	}
}

// recent keeps the times of the last second.
func recent(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= time.Second {
		i++
	}
	return ts[i:]
}

// maxPerChatRate is MaxRate over every chat: the most calls to one chat within window.
func (s *Server) maxPerChatRate(window time.Duration) int {
	s.mu.Lock()
	byChat := map[int64][]time.Time{}
	for _, st := range s.sendTimes {
		byChat[st.chatID] = append(byChat[st.chatID], st.at)
	}
	s.mu.Unlock()
	best := 0
	for _, times := range byChat {
		first := 0
		for last, t := range times {
			for t.Sub(times[first]) >= window {
				first++
			}
			best = max(best, last-first+1)
		}
	}
	return best
}
