package bot

import (
	"context"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Catalog gives the loaded surveys; *surveys.Catalog implements it.
type Catalog interface {
	All() []*surveys.Survey
	Survey(id string) (*surveys.Survey, bool)
	Trajectory(id string) (*surveys.Trajectory, bool)
	// TrajectoryOf is the trajectory of a survey's rounds and the index of its phase.
	TrajectoryOf(surveyID string) (t *surveys.Trajectory, phase int, ok bool)
}

// EngineConfig configures the conversation engine.
type EngineConfig struct {
	// Secret keys the pseudonyms (HMAC-SHA256 of channel and platform user id). Losing it
	// means residents are not recognised any more; leaking it lets ids be linked.
	Secret []byte
	// ConsentVersion names the privacy text residents agree to; stored with the consent.
	ConsentVersion string
	// Kernen are the villages offered in the profile (ids without ':' or spaces).
	Kernen []string
	// Location is the time zone of all dates shown (Europe/Amsterdam).
	Location *time.Location
	// Stuurgroep are the chats that get the stuurgroep summary of every round.
	Stuurgroep []Address
	// Announce are group chats or server channels where every round is announced with
	// its participatiekaart and a "Doe mee" button.
	Announce []Address
	// Organisers may use the organiser commands; ChatID holds the platform user id.
	Organisers []Address
	// Threshold is the smallest group shown in any breakdown (default 10).
	Threshold int
	// Population is the population table for the afspiegeling and weighting of
	// results; nil for neither.
	Population *surveys.Population
	// PrivacyURL is the privacy statement (the web chat's /privacy), linked from the
	// consent question; none when empty.
	PrivacyURL string
	// Municipality is who residents consent to hear from (GEMEENTE), named in the
	// consent question.
	Municipality string
	// Forget are the channels that keep data about a chat themselves (the web chat),
	// by channel name; the engine has them forget a chat when its resident stops or
	// erases their data.
	Forget map[string]Forgetter
	// PanelCode reads a personal invitation code of a lottery as typed (from a
	// letter: "/start K7QM-X3VD-R9", a t.me link, the web chat's ?code=) and gives
	// the keyed hash it is stored under; false for text that is no such code. Nil
	// when no lottery is kept: codes are then not looked for.
	PanelCode func(typed string) (hash, code string, ok bool)
	// Je addresses residents who read Dutch with je instead of u (AANSPREEKVORM=je);
	// residents under 16 are addressed with je whatever it says.
	Je bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Metrics, when set, is told the outcome of every inbound update and every
	// answer stored (/metrics).
	Metrics Metrics
}

// Engine is the platform-neutral conversation: it turns inbound events into stored
// answers and outbound messages, and writes the invitations, reminders and results
// that the scheduler asks for.
type Engine struct {
	cfg     EngineConfig
	store   Store
	outbox  Poster
	catalog Catalog
	log     *slog.Logger
	charts  chartCache
	chats   cipher.AEAD // seals stored chat ids
	// rounds is the round lifecycle the organiser commands act through, on the
	// engine's store, catalog and settings; it never broadcasts itself (the
	// scheduler's service does, through the engine).
	rounds *rounds.Service
}

// NewEngine returns an engine.
func NewEngine(cfg EngineConfig, store Store, outbox Poster, catalog Catalog, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Threshold <= 0 {
		cfg.Threshold = 10
	}
	e := &Engine{cfg: cfg, store: store, outbox: outbox, catalog: catalog, log: log, chats: newChatAEAD(cfg.Secret)}
	e.rounds = rounds.New(rounds.Config{Location: cfg.Location, Threshold: cfg.Threshold, Population: cfg.Population},
		store, catalog, e, log)
	return e
}

// Pseudonym is the stored id of a platform user: a keyed hash, so storage never holds
// the raw id and ids from different channels never collide.
func (e *Engine) Pseudonym(channel, userID string) string {
	m := hmac.New(sha256.New, e.cfg.Secret)
	m.Write([]byte(channel + ":" + userID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// errSeen is handle's answer for an update handled before: Handle confirms it as
// handled, and counts it as a duplicate.
var errSeen = errors.New("update handled before")

// handle processes one inbound event. It is idempotent per (channel, UpdateID): an
// update delivered twice (after a restart) is handled once, and an update whose
// handling failed half-way can be handled again with the same outcome, because every
// write is a set (not an increment) and every reply is queued under a key derived from
// the update.
//
// An event without UpdateID (a channel that has none) is handled every time it comes.
func (e *Engine) handle(ctx context.Context, ev Event) error {
	pid := e.Pseudonym(ev.Channel, ev.UserID)
	unlock, err := e.lockParticipant(ctx, pid)
	if err != nil {
		return fmt.Errorf("handle %s update %s: %w", ev.Channel, ev.UpdateID, err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(ctx, HandleTimeout)
	defer cancel()
	if ev.UpdateID != "" {
		seen, err := e.store.UpdateSeen(ctx, ev.Channel, ev.UpdateID)
		if err != nil {
			return err
		}
		if seen {
			return errSeen
		}
	}
	ev.Command = strings.ToLower(ev.Command) // "/Start" as typed on a phone
	c := &conv{e: e, ev: ev, pid: pid}
	c.log = e.log.With("channel", ev.Channel, "participant", c.pid)
	p, sealed, err := e.participant(ctx, c.pid)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return err
	default:
		c.p = p
	}
	if c.p != nil && c.p.Consented() && (!c.p.Active || c.p.ChatID != ev.ChatID || !sealed) {
		if err := e.store.Reactivate(ctx, c.pid, e.sealChat(c.pid, ev.ChatID)); err != nil {
			return err
		}
		c.p.Active, c.p.ChatID = true, ev.ChatID
	}
	switch ev.Kind {
	case CommandEvent:
		err = c.command(ctx)
	case ChoiceEvent:
		err = c.choice(ctx)
	case TextEvent:
		err = c.text(ctx)
	default:
		err = fmt.Errorf("unknown event kind %d", ev.Kind)
	}
	if err != nil {
		return fmt.Errorf("handle %s update %s: %w", ev.Channel, ev.UpdateID, err)
	}
	if ev.UpdateID == "" {
		return nil
	}
	return e.store.MarkUpdate(ctx, ev.Channel, ev.UpdateID, Redelivery)
}

// conv is one event being handled.
type conv struct {
	e   *Engine
	ev  Event
	pid string
	p   *storage.Participant // nil: never seen
	log *slog.Logger
	n   int // replies queued so far
	// chosen is the language a resident who has not consented yet chose, carried in
	// the data of the onboarding buttons ("" when none was chosen).
	chosen lang.Code
}

func (c *conv) consented() bool { return c.p != nil && c.p.Consented() }

// say queues a reply to the chat the event came from. The dedupe key makes a reply
// queued before a crash not queued again when the update is handled again. It is
// bound to the sender too, because platforms reuse update ids (Telegram picks them at
// random after a week without updates); hashed, so that not even the pseudonym of a
// resident who did not consent is kept.
func (c *conv) say(ctx context.Context, m Message) error {
	m.To = Address{Channel: c.ev.Channel, ChatID: c.ev.ChatID}
	if l := c.lang(); l != lang.NL && m.Lang == "" {
		m.Lang = string(l)
	}
	if c.p != nil {
		// only known participants can be marked inactive; a resident who never
		// consented (under 16, said no) must not get a participant record that way
		m.Participant = c.pid
	}
	var post Post
	if c.ev.UpdateID != "" {
		sum := sha256.Sum256([]byte(c.pid + ":" + c.ev.UpdateID))
		post.Dedupe = fmt.Sprintf("u:%s:%x:%d", c.ev.UpdateID, sum[:6], c.n)
		post.DedupeFor = Redelivery // as long as the update is remembered (MarkUpdate)
	}
	c.n++
	_, err := c.e.outbox.Post(ctx, m, post)
	return err
}

func (c *conv) sayText(ctx context.Context, text string, rows ...[]Choice) error {
	return c.say(ctx, Message{Text: text, Choices: rows})
}

// edit replaces the message the pressed button was on (or says it anew when the
// platform gave no reference).
func (c *conv) edit(ctx context.Context, text string, rows ...[]Choice) error {
	return c.say(ctx, Message{Text: text, Choices: rows, EditRef: c.ev.MessageRef})
}

func (c *conv) command(ctx context.Context) error {
	if done, err := c.organiserCommand(ctx); done || err != nil {
		return err
	}
	switch c.ev.Command {
	case "start", "deelnemen":
		if c.ev.Args != "" && c.e.cfg.PanelCode != nil {
			return c.panelCode(ctx, c.ev.Args)
		}
		return c.start(ctx)
	case "help", "hulp":
		return c.sayText(ctx, c.t("help"))
	case "mijngegevens":
		return c.myData(ctx)
	case "vergeetmij":
		return c.askForget(ctx)
	case "stop", "stoppen":
		if !c.consented() {
			return c.sayText(ctx, c.t("not_joined"))
		}
		return c.sayText(ctx, c.t("stop_ask"), []Choice{{Label: c.t("stop_yes_button"), Data: dataStopYes}, {Label: c.t("stop_no_button"), Data: dataStopNo}})
	case "status":
		return c.status(ctx)
	case "taal", "language":
		return c.askLang(ctx)
	}
	return c.sayText(ctx, c.t("unknown_cmd"))
}

func (c *conv) text(ctx context.Context) error {
	if cmd, ok := CommandWord(c.ev.Text, c.lang()); ok {
		c.ev.Command, c.ev.Args = cmd, ""
		return c.command(ctx)
	}
	if c.codeShaped(c.ev.Text) {
		return c.panelCode(ctx, c.ev.Text)
	}
	if !c.consented() {
		return c.sayText(ctx, c.t("not_joined"))
	}
	rc, err := c.current(ctx)
	if err != nil {
		return err
	}
	if rc != nil {
		if handled, err := rc.openAnswer(ctx); err != nil || handled {
			return err
		}
		if handled, err := rc.typedAnswer(ctx); err != nil || handled {
			return err
		}
	}
	return c.sayText(ctx, c.t("use_buttons"))
}

func (c *conv) choice(ctx context.Context) error {
	cb, ok := decode(c.ev.Data)
	if !ok {
		c.log.Warn("undecodable button data")
		return c.sayText(ctx, c.t("stale"))
	}
	if cb.lang != "" && !c.consented() {
		c.chosen = lang.Code(cb.lang) // an onboarding button of a resident who chose a language
	}
	switch cb.verb {
	case "lang":
		return c.setLang(ctx, cb.arg)
	case "age":
		return c.age(ctx, cb.arg)
	case "ok":
		return c.consent(ctx, cb.arg)
	case "okc":
		return c.panelConsent(ctx, cb.arg)
	case "no":
		if err := c.echo(ctx, c.t("consent_question"), c.t("consent_no_button")); err != nil {
			return err
		}
		if c.consented() {
			return c.sayText(ctx, c.t("consent_no_joined"))
		}
		return c.sayText(ctx, c.t("consent_no"))
	case "kern":
		return c.kern(ctx, cb.arg)
	case "stop":
		return c.stop(ctx, cb.arg == "y")
	case "me":
		return c.myData(ctx)
	case "forget":
		return c.forget(ctx, cb.arg == "y")
	}
	if !c.consented() {
		if cb.verb == "go" { // "Doe mee" on an announcement: join first, the round follows
			return c.start(ctx)
		}
		return c.sayText(ctx, c.t("not_joined"))
	}
	return c.roundChoice(ctx, cb)
}

var _ ConsentChecker = (*Engine)(nil)

var _ ChatFinder = (*Engine)(nil)

// KnownChat is the chat stored (sealed) with the platform user's participant record,
// while they take part.
func (e *Engine) KnownChat(ctx context.Context, channel, userID string) (string, bool, error) {
	p, _, err := e.participant(ctx, e.Pseudonym(channel, userID))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("known chat: %w", err)
	case !p.Consented() || !p.Active || p.ChatID == "" || p.Channel != channel:
		return "", false, nil
	}
	return p.ChatID, true, nil
}

// Consented reports whether the platform user has consent on record that was not withdrawn.
func (e *Engine) Consented(ctx context.Context, channel, userID string) (bool, error) {
	p, err := e.store.Participant(ctx, e.Pseudonym(channel, userID))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("check consent: %w", err)
	}
	return p.Consented(), nil
}
