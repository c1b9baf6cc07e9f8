package telegramtest

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// sendStamp is the arrival of one send-type call, for MaxRate.
type sendStamp struct {
	chatID   int64
	at       time.Time
	messages int // what the call delivers: the items of an album, else 1
}

// Calls is every API call of method (matched case-insensitively) in arrival order;
// Calls("") is every call of any method, so len(s.Calls("")) counts them all. Calls
// that failed are included, with their Status and Description.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			cp := *c
			cp.Params = maps.Clone(c.Params)
			out = append(out, cp)
		}
	}
	return out
}

// CallbackAnswers maps each callback_query_id issued by Press or Tap to the number of
// successful answerCallbackQuery calls for it; 0 means the bot never answered, and the
// resident's button would still show its loading spinner.
func (s *Server) CallbackAnswers() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.callbacks)
}

// MaxRate is the largest number of send-type calls to chatID that arrived within any
// span shorter than window. Every call counts, including refused and held ones, since
// the point is the bot's own pacing. Telegram asks for at most one message per second
// in a chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
func (s *Server) MaxRate(chatID int64, window time.Duration) int {
	return s.maxRate(window, func(st sendStamp) bool { return st.chatID == chatID })
}

// MaxGlobalRate is MaxRate over all chats together; Telegram's broadcast limit is
// about 30 messages per second.
func (s *Server) MaxGlobalRate(window time.Duration) int {
	return s.maxRate(window, func(sendStamp) bool { return true })
}

// MaxMessageRate is MaxRate counting messages instead of calls: an album
// (sendMediaGroup) of five photos counts five, as Telegram's flood control counts
// it (see sendMediaGroup).
func (s *Server) MaxMessageRate(chatID int64, window time.Duration) int {
	return s.rate(window, func(st sendStamp) bool { return st.chatID == chatID }, true)
}

// Violations lists the calls the server refused because they broke a documented
// limit of the Bot API (a text or caption too long, bad button data, an album of
// one or of eleven, HTML it cannot parse, an image it cannot process, a bad webhook)
// and the getUpdates conflicts (two polls at once, a poll while a webhook is set), as
// "method: description", in arrival order. A bot that respects the limits has
// none; failures injected by the test are not among them.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

func (s *Server) maxRate(window time.Duration, keep func(sendStamp) bool) int {
	return s.rate(window, keep, false)
}

func (s *Server) rate(window time.Duration, keep func(sendStamp) bool, messages bool) int {
	s.mu.Lock()
	var stamps []sendStamp
	for _, st := range s.sendTimes {
		if keep(st) {
			stamps = append(stamps, st)
		}
	}
	s.mu.Unlock()
	// Stamps are taken under the lock as calls arrive, so they are in order.
	best, first, inWindow := 0, 0, 0
	for _, st := range stamps {
		n := 1
		if messages {
			n = st.messages
		}
		inWindow += n
		for st.at.Sub(stamps[first].at) >= window {
			if messages {
				inWindow -= stamps[first].messages
			} else {
				inWindow--
			}
			first++
		}
		best = max(best, inWindow)
	}
	return best
}
