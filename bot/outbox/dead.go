package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// DeadLetter is a message the outbox gave up on, as an operator may see it: what kind
// of message it was and why it was given up on, never its text or chat.
type DeadLetter struct {
	// ID names it for RetryDead: "<channel>:<number>", e.g. "telegram:42".
	ID       string
	Channel  string
	At       time.Time
	Attempts int
	Reason   string
	// Kind is bot.AboutPrompt, bot.AboutInvite or bot.AboutReminder, or else "edit",
	// "image", "document" or "message"; "" when the message did not decode.
	Kind  string
	Round string // the round it was about, if it said
	// Participant is the start of the recipient's pseudonym (8 characters), if any.
	Participant string
	Bulk        bool
}

// DeadLetters lists up to n dead letters of each channel (all channels with dead
// letters when channel is ""), newest first.
func DeadLetters(ctx context.Context, store DeadStore, channel string, n int) ([]DeadLetter, error) {
	channels := []string{channel}
	if channel == "" {
		var err error
		if channels, err = store.DeadChannels(ctx); err != nil {
			return nil, err
		}
	}
	var out []DeadLetter
	for _, ch := range channels {
		list, err := store.DeadLetters(ctx, ch, n)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			out = append(out, summarise(d))
		}
	}
	slices.SortStableFunc(out, func(a, b DeadLetter) int { return b.At.Compare(a.At) })
	return out, nil
}

func summarise(d storage.DeadLetter) DeadLetter {
	n, _ := strconv.ParseInt(d.ID, 10, 64)
	dl := DeadLetter{ID: d.Channel + ":" + strconv.FormatInt(n, 10), Channel: d.Channel, At: d.At,
		Attempts: d.Attempts, Reason: d.Reason, Bulk: d.Bulk}
	var env envelope
	if json.Unmarshal(d.Payload, &env) != nil {
		return dl
	}
	m := env.Message
	switch {
	case m.About != nil:
		dl.Kind, dl.Round = m.About.Kind, m.About.Round
	case m.EditRef != "":
		dl.Kind = "edit"
	case m.Image != nil:
		dl.Kind = "image"
	case m.Document != nil:
		dl.Kind = "document"
	default:
		dl.Kind = "message"
	}
	dl.Participant = m.Participant[:min(len(m.Participant), 8)]
	return dl
}

// ParseDeadID splits a DeadLetter.ID into channel and the queue's id.
func ParseDeadID(id string) (channel, queueID string, err error) {
	ch, num, ok := strings.Cut(id, ":")
	n, perr := strconv.ParseInt(num, 10, 64)
	if !ok || ch == "" || perr != nil || n <= 0 {
		return "", "", fmt.Errorf("dead letter id %q: want channel:number, e.g. telegram:42", id)
	}
	return ch, fmt.Sprintf("%012d", n), nil
}

// RetryDead puts dead letters back in their queue, due now, and reports how many it
// found; a running outbox sends them within a second.
func RetryDead(ctx context.Context, store DeadStore, ids []string) (int, error) {
	total := 0
	for _, id := range ids {
		ch, qid, err := ParseDeadID(id)
		if err != nil {
			return total, err
		}
		n, err := store.RequeueDead(ctx, ch, time.Now(), qid)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// RetryAllDead puts every dead letter of channel (of all channels when "") back in its
// queue, due now, and reports how many.
func RetryAllDead(ctx context.Context, store DeadStore, channel string) (int, error) {
	channels := []string{channel}
	if channel == "" {
		var err error
		if channels, err = store.DeadChannels(ctx); err != nil {
			return 0, err
		}
	}
	total := 0
	for _, ch := range channels {
		n, err := store.RequeueAllDead(ctx, ch, time.Now())
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
