package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// Sending (developers.facebook.com/documentation/business-messaging/whatsapp/messages):
// one POST /{version}/{phone-number-id}/messages per message, answered with the
// message's wamid or a Graph error. Buttons become interactive messages: up to three
// as reply buttons (title 20 characters), more as list messages of at most ten rows
// each (title 24, the whole label in the row's description when it is longer);
// WhatsApp edits no message, so an edit is said anew.

// The interactive limits of the messages reference.
const (
	maxButtons        = 3
	maxButtonTitle    = 20
	maxButtonID       = 256
	maxInteractive    = 1024 // body of a reply-button or list message
	maxRows           = 10
	maxRowTitle       = 24
	maxRowDescription = 72
	maxRowID          = 200
)

// The texts of the list messages.
const (
	listButton  = "Kies een antwoord"
	chooseBelow = "Maak een keuze:"
)

// Error codes the channel acts on (developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
const (
	codeAccessToken   = 190
	codeAppLimit      = 4
	codeWABALimit     = 80007
	codeThroughput    = 130429
	codeSpamLimit     = 131048
	codePairRate      = 131056
	codeRegisterLimit = 133016
	codeUndeliverable = 131026
	codeOutsideWindow = 131047
	codeUnknown       = 131000
)

// errOutsideWindow is a 131047: the resident's window closed; window.go sends a
// template instead.
var errOutsideWindow = errors.New("outside the 24-hour window")

// graphError is a failed request's answer:
// {"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}.
type graphError struct {
	Status  int
	Code    int    `json:"code"`
	Subcode int    `json:"error_subcode"`
	Type    string `json:"type"`
	Message string `json:"message"`
	Data    struct {
		Details string `json:"details"`
	} `json:"error_data"`
	Trace string `json:"fbtrace_id"`
}

func (e *graphError) Error() string {
	s := fmt.Sprintf("whatsapp: HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
	if e.Data.Details != "" {
		s += " (" + e.Data.Details + ")"
	}
	return s
}

// readError reads an error answer; a body that is no Graph error keeps the status.
func readError(status int, body []byte) *graphError {
	var answer struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Error == nil {
		return &graphError{Status: status, Message: http.StatusText(status)}
	}
	answer.Error.Status = status
	return answer.Error
}

// classify turns a failed answer into the outbox's classes.
func classify(e *graphError) error {
	if pause, chatOnly, ok := throttled(e); ok {
		return fmt.Errorf("%w: %w", e, &bot.RateLimitedError{RetryAfter: pause, ChatOnly: chatOnly})
	}
	switch {
	case e.Code == codeUndeliverable:
		return fmt.Errorf("%w: %w", e, bot.ErrRecipientGone)
	case e.Code == codeOutsideWindow:
		return fmt.Errorf("%w: %w", e, errOutsideWindow)
	case e.Code == codeUnknown, e.Status >= 500, e.Status == 0:
		return e // temporary
	case e.Status == http.StatusUnauthorized, e.Code == codeAccessToken:
		return fmt.Errorf("%w: the access token is not valid (WHATSAPP_TOKEN): %w", e, bot.ErrPermanent)
	}
	return fmt.Errorf("%w: %w", e, bot.ErrPermanent)
}

// throttled says whether e is one of the throttling codes, and for how long to wait:
// the Cloud API gives no retry-after. The throughput limit lifts within a second;
// the pair rate lets one more message to the resident go every 6 seconds, and holds
// only that chat; the app's and account's limits, spam and registration limits are
// counted over longer spans.
func throttled(e *graphError) (time.Duration, bool, bool) {
	switch e.Code {
	case codeThroughput:
		return time.Second, false, true
	case codePairRate:
		return 6 * time.Second, true, true
	case codeAppLimit, codeWABALimit, codeSpamLimit, codeRegisterLimit:
		return time.Minute, false, true
	}
	if e.Status == http.StatusTooManyRequests {
		return time.Second, false, true
	}
	return 0, false, false
}

// holdTransport holds the messages requests while a throughput limit's pause runs
// (bot.Hold), from the moment its answer arrives; a pair rate's holds only its chat,
// so it pauses nothing here.
type holdTransport struct {
	base http.RoundTripper
	hold *bot.Hold
}

func (t holdTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.hold.RoundTrip(t.base, r, func(string) bool { return true }, func(_ http.Header, body []byte) time.Duration {
		pause, chatOnly, ok := throttled(readError(http.StatusTooManyRequests, body))
		if !ok || chatOnly {
			return 0
		}
		return pause
	})
}

// sent is the messages endpoint's answer.
type sent struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// call posts a JSON request to the phone number's endpoint (messages) and decodes
// the answer into out.
func (c *Channel) call(ctx context.Context, endpoint string, body any, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("whatsapp: encode %s request: %w: %w", endpoint, err, bot.ErrPermanent)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(endpoint), bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("whatsapp: %w: %w", err, bot.ErrPermanent)
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, endpoint, out)
}

func (c *Channel) endpoint(name string) string {
	return c.cfg.APIBase + "/" + APIVersion + "/" + c.cfg.PhoneNumberID + "/" + name
}

// do makes a request with the token, and classifies its failure.
func (c *Channel) do(req *http.Request, what string, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("whatsapp %s: %w", what, c.redact(err)) // temporary
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("whatsapp %s: read answer: %w", what, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("whatsapp %s: %w", what, c.redact(classify(readError(resp.StatusCode, body))))
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("whatsapp %s: answer %.80q: %w", what, body, err)
		}
	}
	return nil
}

// request is the messages endpoint's body, with the type's object in the field of
// its name.
type request map[string]any

func newRequest(to, typ string, object any) request {
	return request{"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": typ, typ: object}
}

// post sends one message and returns its wamid.
func (c *Channel) post(ctx context.Context, r request) (string, error) {
	var answer sent
	if err := c.call(ctx, "messages", r, &answer); err != nil {
		return "", err
	}
	if len(answer.Messages) == 0 {
		return "", nil
	}
	return answer.Messages[0].ID, nil
}

// Send delivers a message, inside the resident's window as it is, outside it as a
// template (window.go). A message is usually one request; a long text before
// buttons, or an album, is several, in order.
func (c *Channel) Send(ctx context.Context, m bot.Message) error {
	if !validChat(m.To.ChatID) {
		return fmt.Errorf("whatsapp: chat id %q: %w", m.To.ChatID, bot.ErrPermanent)
	}
	if len(m.Album) > 0 {
		if err := bot.CheckAlbum(m); err != nil {
			return fmt.Errorf("whatsapp: %w", err)
		}
	}
	if m.Echo {
		// the resident's tap shows in the chat as their reply: no need to say it again
		return nil
	}
	reqs, err := c.render(m)
	if err != nil {
		return err
	}
	chat := c.chatKey(m.To.ChatID)
	id, data := heldID(m)
	st, err := c.store.ChatStateOf(ctx, chat, id)
	isHeld := st.IsHeld
	switch {
	case err != nil:
		return err
	case !st.Open:
		return c.outside(ctx, chat, m)
	case st.Held > 0 && !isHeld && st.Releases:
		// messages wait for this resident, released but not all sent yet: this
		// one goes after them, not past them (results before their charts)
		if err := c.keep(ctx, chat, id, data); err != nil {
			return err
		}
		_, err := c.release(ctx, chat)
		return err
	}
	err = c.deliver(ctx, m, reqs)
	if errors.Is(err, errOutsideWindow) {
		// the window closed earlier than recorded: a template after all
		if cerr := c.store.CloseWindow(ctx, chat); cerr != nil {
			return cerr
		}
		return c.outside(ctx, chat, m)
	}
	if isHeld && (err == nil || errors.Is(err, bot.ErrPermanent) || errors.Is(err, bot.ErrRecipientGone)) {
		// a held message delivered, or never to be: no longer held
		if uerr := c.store.Unhold(ctx, chat, id); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}

var _ bot.Counter = (*Channel)(nil)

// Messages is how many messages m becomes on WhatsApp, each of which Meta's
// throughput and pair rate count: its requests, uploads aside.
func (c *Channel) Messages(m bot.Message) int {
	if m.Echo {
		return 1 // sends nothing; the least the outbox counts
	}
	parts, err := c.render(m)
	if err != nil || len(parts) == 0 {
		return 1
	}
	return len(parts)
}

// validChat: a wa_id (digits) or a business-scoped user id (printable, no spaces).
func validChat(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// part is one request of a message: a request ready to go, or an image or a
// document (typ) to upload first.
type part struct {
	req   request
	image *bot.File
	typ   string
	cap   string
}

// deliver makes the requests of a message, uploading its images first (once per
// shared image, media.go), and records the first wamid of a round's message for its
// statuses.
func (c *Channel) deliver(ctx context.Context, m bot.Message, parts []part) error {
	for i, p := range parts {
		req := p.req
		media := func() (request, error) {
			id, err := c.mediaID(ctx, *p.image)
			if err != nil {
				return nil, err
			}
			obj := map[string]any{"id": id}
			if p.cap != "" {
				obj["caption"] = p.cap
			}
			if p.typ == "document" {
				obj["filename"] = p.image.Name
			}
			return newRequest(m.To.ChatID, p.typ, obj), nil
		}
		if p.image != nil {
			var err error
			if req, err = media(); err != nil {
				return err
			}
		}
		wamid, err := c.post(ctx, req)
		if err != nil && p.image != nil && p.image.Ref != "" && errors.Is(err, bot.ErrPermanent) && !errors.Is(err, errOutsideWindow) {
			// the media id may have expired at Meta: upload once more
			c.forgetMedia(ctx, p.image.Ref)
			c.log.Info("whatsapp: media id refused, uploading again", "err", err)
			if req, err = media(); err != nil {
				return err
			}
			wamid, err = c.post(ctx, req)
		}
		if err != nil {
			return err
		}
		if i == 0 {
			c.markSent(ctx, m, wamid)
		}
	}
	return nil
}

// markSent records a round's message for its statuses; a failure only loses a count.
func (c *Channel) markSent(ctx context.Context, m bot.Message, wamid string) {
	round, kind := "", ""
	switch {
	case m.Notice != nil:
		round, kind = m.Notice.Round, m.Notice.Kind
	case m.About != nil:
		round, kind = m.About.Round, m.About.Kind
	}
	if round == "" || wamid == "" {
		return
	}
	if err := c.store.MarkSent(ctx, wamid, round, kind); err != nil {
		c.log.Warn("whatsapp: record a sent message for its statuses", "err", err)
	}
}

// slashCommands are the engine's commands as its texts name them ("Typ /stop …").
var slashCommands = regexp.MustCompile(`/(start|stop|help|hulp|status|mijngegevens|vergeetmij)\b`)

// typed is what a WhatsApp resident types for each (commands in inbox.go): a word,
// with quotes, since WhatsApp has no slash commands.
var typed = map[string]string{"start": "start", "stop": "stop", "help": "hulp", "hulp": "hulp", "status": "status",
	"mijngegevens": "mijn gegevens", "vergeetmij": "vergeet mij", "taal": "taal"}

// words shows the engine's slash commands in a text as the words a resident types
// on WhatsApp: "Typ /stop" becomes "Typ ‘stop’".
func words(text string) string {
	return slashCommands.ReplaceAllStringFunc(text, func(s string) string { return "‘" + typed[s[1:]] + "’" })
}

// render turns a message into its requests.
func (c *Channel) render(m bot.Message) ([]part, error) {
	to := m.To.ChatID
	lim := c.cfg.Limits
	var parts []part
	for _, img := range m.Album {
		f := img
		parts = append(parts, part{image: &f, typ: "image", cap: lim.ClipCaption(f.Alt)})
	}
	if len(m.Album) > 0 {
		return parts, nil
	}
	var choices []bot.Choice
	for _, row := range m.Choices {
		choices = append(choices, row...)
	}
	for _, ch := range choices {
		if ch.Data == "" || len(ch.Data) > lim.MaxChoiceData {
			return nil, fmt.Errorf("whatsapp: button data of %d bytes (max %d): %w", len(ch.Data), lim.MaxChoiceData, bot.ErrPermanent)
		}
	}
	text := words(m.Text)
	if m.Image != nil {
		f := *m.Image
		caption := lim.ClipCaption(text)
		if len(choices) > 0 {
			caption = ""
		} else {
			text = ""
		}
		parts = append(parts, part{image: &f, typ: "image", cap: caption})
	}
	if m.Document != nil {
		f := *m.Document
		parts = append(parts, part{image: &f, typ: "document", cap: lim.ClipCaption(text)})
		if len(choices) == 0 {
			return parts, nil
		}
		text = ""
	}
	if len(choices) == 0 {
		for _, t := range lim.SplitText(text) {
			if t != "" {
				parts = append(parts, part{req: newRequest(to, "text", map[string]any{"body": t, "preview_url": false})})
			}
		}
		return parts, nil
	}
	body := text
	if lim.Len(text) > maxInteractive {
		for _, t := range lim.SplitText(text) {
			parts = append(parts, part{req: newRequest(to, "text", map[string]any{"body": t, "preview_url": false})})
		}
		body = ""
	}
	if body == "" {
		body = chooseBelow
	}
	// the answers, and apart the buttons beside them ("◀ Vorige", "Overslaan"):
	// wie van de drie stays three reply buttons
	var main, nav []bot.Choice
	for _, ch := range choices {
		if ch.Aside {
			nav = append(nav, ch)
		} else {
			main = append(main, ch)
		}
	}
	if len(nav) > maxButtons || len(main) == 0 {
		main, nav = choices, nil
	}
	switch {
	case len(choices) <= maxButtons:
		parts = append(parts, buttons(to, body, choices))
	case len(main) <= maxButtons:
		parts = append(parts, buttons(to, body, main), buttons(to, otherChoices, nav))
	case len(choices) <= maxRows:
		parts = append(parts, lists(to, body, choices)...)
	default:
		parts = append(parts, lists(to, body, main)...)
		if len(nav) > 0 {
			parts = append(parts, buttons(to, otherChoices, nav))
		}
	}
	return parts, nil
}

// otherChoices is the body of the buttons that go after the options.
const otherChoices = "Of:"

// buttons is a reply-buttons message of at most three choices.
func buttons(to, body string, choices []bot.Choice) part {
	list := make([]any, len(choices))
	for i, ch := range choices {
		list[i] = map[string]any{"type": "reply", "reply": map[string]any{"id": ch.Data, "title": clip(label(ch), maxButtonTitle)}}
	}
	return part{req: newRequest(to, "interactive", map[string]any{"type": "button",
		"body": map[string]any{"text": body}, "action": map[string]any{"buttons": list}})}
}

// lists are list messages of the choices, ten rows to a message: a row's title is
// the short label, or the label cut to 24 characters with the whole label (up to
// 72) below it.
func lists(to, body string, choices []bot.Choice) []part {
	pages := (len(choices) + maxRows - 1) / maxRows
	var parts []part
	for p := 0; p < pages; p++ {
		page := choices[p*maxRows : min(len(choices), (p+1)*maxRows)]
		rows := make([]any, len(page))
		for i, ch := range page {
			row := map[string]any{"id": ch.Data, "title": clip(label(ch), maxRowTitle)}
			if l := label(ch); l != ch.Label || runeLen(l) > maxRowTitle {
				row["description"] = clip(ch.Label, maxRowDescription)
			}
			rows[i] = row
		}
		b := body
		if p > 0 {
			b = "Meer keuzes (deel " + strconv.Itoa(p+1) + " van " + strconv.Itoa(pages) + ")"
		} else if pages > 1 {
			b = clip(body, maxInteractive-20) + "\n\n(deel 1 van " + strconv.Itoa(pages) + ")"
		}
		parts = append(parts, part{req: newRequest(to, "interactive", map[string]any{"type": "list",
			"body": map[string]any{"text": b}, "action": map[string]any{"button": listButton,
				"sections": []any{map[string]any{"rows": rows}}}})})
	}
	return parts
}

// label is a choice's text on a button: its short label when it has one.
func label(ch bot.Choice) string {
	if ch.Short != "" {
		return ch.Short
	}
	return ch.Label
}

func runeLen(s string) int { return bot.Runes.Len(s) }

// clip shortens s to n characters, ending in "…" when cut.
func clip(s string, n int) string { return bot.ClipBy(s, n, bot.Runes.Len) }
