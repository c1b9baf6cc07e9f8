package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/storage"
)

// The inbound failure policy, one for every channel and mirroring the outbox's: an
// update whose handling fails is offered again by its channel (Telegram redelivers it,
// the web chat's resident posts the form again) up to MaxInboundAttempts times; then,
// or at once when handling panicked or the update is malformed, it is set aside
// (storage.SetAside, listed by `participatiebot inbound`) and confirmed, so that one
// update that cannot be handled never blocks the residents behind it nor crashes the
// service.

// MaxInboundAttempts is how often an update whose handling fails is tried before it is
// set aside.
const MaxInboundAttempts = 5

// Bounds on the fields of an inbound event, far above what any platform sends
// (Telegram: 4096 characters of text, 64 bytes of callback data; Discord: 4000
// characters in a modal, 100 in a custom_id; the web chat 4000 characters).
const (
	maxIDLen      = 128
	maxCommandLen = 64
	maxArgsLen    = 1024
	maxDataLen    = 256
	maxTextLen    = 16 << 10
)

// Handle processes one inbound event under the inbound failure policy. It returns nil
// when the event was handled or set aside, and an error when the channel should offer
// the update again later.
func (e *Engine) Handle(ctx context.Context, ev Event) (err error) {
	outcome := InboundSetAside
	defer func() { e.observeInbound(ev, outcome, err) }()
	if reason := invalidEvent(ev); reason != "" {
		return e.setAside(ctx, ev, reason, 1)
	}
	err, panicked := e.handleRecovered(ctx, ev)
	switch {
	case err == nil:
		outcome = InboundHandled
		return nil
	case errors.Is(err, errSeen):
		outcome = InboundDuplicate
		return nil
	case panicked:
		return e.setAside(ctx, ev, err.Error(), 1)
	case ctx.Err() != nil, ev.UpdateID == "", errors.Is(err, ErrBusy), storage.Unavailable(err):
		// shutting down, nothing to count by, the participant's other update took
		// long, or Redis is down or failing over (not this update's fault: it is
		// handled once Redis is back): the sender tries again
		return err
	}
	n, cerr := e.store.InboundFailed(ctx, ev.Channel, ev.UpdateID)
	if cerr != nil {
		return errors.Join(err, cerr)
	}
	if n < MaxInboundAttempts {
		return err
	}
	return e.setAside(ctx, ev, err.Error(), n)
}

// handleRecovered is handle with a panic turned into an error.
func (e *Engine) handleRecovered(ctx context.Context, ev Event) (err error, panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			e.log.Error("panic handling inbound update", "channel", ev.Channel, "update_id", ev.UpdateID,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err, panicked = fmt.Errorf("panic: %v", v), true
		}
	}()
	return e.handle(ctx, ev), false
}

// setAside records the update as set aside and handled, and tells the resident that it
// did not work. It fails only when that cannot be recorded; then the update is offered
// again.
func (e *Engine) setAside(ctx context.Context, ev Event, reason string, attempts int) error {
	e.log.Error("inbound update set aside", "channel", ev.Channel, "update_id", ev.UpdateID,
		"kind", kindName(ev.Kind), "attempts", attempts, "reason", reason)
	if ev.UpdateID == "" {
		return nil // nothing to confirm or redeliver by; the log is the record
	}
	d := storage.InboundDead{Time: e.cfg.Now(), Channel: ev.Channel, UpdateID: ev.UpdateID,
		Kind: kindName(ev.Kind), Detail: detail(ev), Reason: Clip(reason, 500), Attempts: attempts}
	if err := e.store.SetAside(ctx, d); err != nil {
		return err
	}
	if err := e.store.MarkUpdate(ctx, ev.Channel, ev.UpdateID, Redelivery); err != nil {
		return err
	}
	if !validName(ev.Channel) || !validID(ev.UserID) || !validID(ev.ChatID) {
		return nil // no chat we can trust to answer to
	}
	c := &conv{e: e, ev: ev, pid: e.Pseudonym(ev.Channel, ev.UserID), n: 100}
	if err := c.sayText(ctx, c.t("set_aside")); err != nil {
		e.log.Warn("tell resident an update was set aside", "channel", ev.Channel, "update_id", ev.UpdateID, "err", err)
	}
	return nil
}

func kindName(k EventKind) string {
	switch k {
	case CommandEvent:
		return "command"
	case ChoiceEvent:
		return "choice"
	case TextEvent:
		return "text"
	}
	return ""
}

// detail is what an operator may see of an event: the command or the button data,
// never a typed text, never an id.
func detail(ev Event) string {
	switch ev.Kind {
	case CommandEvent:
		return Clip(strings.ToValidUTF8(ev.Command, "?"), maxCommandLen)
	case ChoiceEvent:
		return Clip(strings.ToValidUTF8(ev.Data, "?"), 100)
	}
	return ""
}

// invalidEvent says what is wrong with an event, "" when nothing is. Channels map
// platform updates field by field; this is the engine's own check that no field is
// outside what any platform sends, so nothing malformed reaches storage.
func invalidEvent(ev Event) string {
	switch {
	case ev.Problem != "":
		return "channel: " + ev.Problem
	case ev.Kind != CommandEvent && ev.Kind != ChoiceEvent && ev.Kind != TextEvent:
		return fmt.Sprintf("unknown event kind %d", ev.Kind)
	case !validName(ev.Channel):
		return "invalid channel name"
	case !validID(ev.UserID):
		return "invalid user id"
	case !validID(ev.ChatID):
		return "invalid chat id"
	case ev.UpdateID != "" && !validID(ev.UpdateID):
		return "invalid update id"
	case ev.MessageRef != "" && !validID(ev.MessageRef):
		return "invalid message reference"
	case len(ev.Args) > maxArgsLen || !utf8.ValidString(ev.Args):
		return "invalid command arguments"
	case len(ev.Text) > maxTextLen || !utf8.ValidString(ev.Text):
		return "invalid text"
	}
	switch ev.Kind {
	case CommandEvent:
		// a command no one knows is answered as such; only a malformed one is set aside
		if ev.Command == "" || len(ev.Command) > maxCommandLen || !utf8.ValidString(ev.Command) {
			return "invalid command"
		}
	case ChoiceEvent:
		// data we did not produce is answered politely (decode); only a malformed one is set aside
		if len(ev.Data) > maxDataLen || !utf8.ValidString(ev.Data) {
			return "invalid button data"
		}
	}
	return ""
}

// validName: lower-case letters, digits and underscores, as channel names are.
func validName(s string) bool {
	if s == "" || len(s) > maxCommandLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// validID: a platform id or reference: printable ASCII without spaces, at most maxIDLen.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}
