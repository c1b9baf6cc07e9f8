package results

import "strings"

// chatLimit is the most a summary may take of one chat message. Telegram's
// sendMessage allows 4096 characters of text after entity parsing
// (https://core.telegram.org/bots/api#sendmessage), counted in UTF-16 code units;
// the margin leaves room for a channel's own additions.
const chatLimit = 3800

// shortenedReport ends a summary for organisers that did not fit whole: they
// have the report. Participants, who do not, get result.shortened in their
// language (PersonalSummary).
const shortenedReport = "… (ingekort; de volledige uitslag staat in het rapport)"

// chatLen is the length of s in UTF-16 code units, as Telegram counts it: an emoji
// outside the Basic Multilingual Plane counts twice.
func chatLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// fitMessage joins the body blocks and tail lines with newlines into one chat
// message. When the whole does not fit in chatLimit it keeps the body blocks
// that do, whole, ends them with more, and always keeps the tail.
func fitMessage(body, tail []string, more string) string {
	tailText := strings.Join(tail, "\n")
	if chatLen(tailText) > chatLimit/4 {
		tailText = clip(tailText, chatLimit/4)
	}
	whole := strings.Join(body, "\n")
	if tailText != "" {
		whole += "\n\n" + tailText
	}
	if chatLen(whole) <= chatLimit {
		return whole
	}
	budget := chatLimit - chatLen(tailText) - chatLen(more) - 4
	var kept []string
	used := 0
	for _, l := range body {
		n := chatLen(l) + 1
		if used+n > budget {
			break
		}
		kept = append(kept, l)
		used += n
	}
	out := strings.Join(append(kept, more), "\n")
	if tailText != "" {
		out += "\n\n" + tailText
	}
	return out
}
