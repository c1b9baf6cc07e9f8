package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// The scheduler decides when; these methods decide what is said. Each queues its
// message under a dedupe key, so a broadcast that is resumed after a crash, or run by
// two replicas, reaches every participant exactly once.

// Invite queues the invitation (participatiekaart + "Doe mee") of a round for one
// participant. It reports whether a message was queued now.
func (e *Engine) Invite(ctx context.Context, r *storage.Round, pid string) (bool, error) {
	s, p, err := e.recipient(ctx, r, pid)
	if err != nil || p == nil {
		return false, err
	}
	// someone who already started the round (after /start) needs no invitation
	answers, err := e.store.Answers(ctx, r.ID, pid)
	if err != nil || len(answers) > 0 {
		return false, err
	}
	m := invitation(s, r, e.cfg.Location)
	m.Text = "Er staat een nieuwe vragenronde voor u klaar.\n\n" + m.Text
	m.About = &About{Kind: AboutInvite, Round: r.ID}
	return e.post(ctx, p, m, Post{Dedupe: "inv:" + r.ID + ":" + pid, Quiet: true, Priority: Bulk})
}

// Remind queues reminder i of a round for a participant who has not finished.
func (e *Engine) Remind(ctx context.Context, r *storage.Round, i int, pid string) (bool, error) {
	s, p, err := e.recipient(ctx, r, pid)
	if err != nil || p == nil {
		return false, err
	}
	done, err := e.store.Completed(ctx, r.ID, pid)
	if err != nil || done {
		return false, err
	}
	answers, err := e.store.Answers(ctx, r.ID, pid)
	if err != nil {
		return false, err
	}
	text := fmt.Sprintf("⏰ Herinnering: de ronde ‘%s’ sluit %s.", s.Title, moment(r.ClosesAt.In(e.cfg.Location)))
	label := "Doe mee"
	if n := answeredQuestions(s, answers); n > 0 {
		text += fmt.Sprintf(" U heeft %d van de %d vragen beantwoord; u kunt verder waar u was.", n, len(s.Questions))
		label = "Verder"
	} else {
		text += fmt.Sprintf(" Het zijn %d korte vragen. Uw mening telt mee!", len(s.Questions))
	}
	m := Message{Text: text, Choices: [][]Choice{{{label, encode("go", r.Code)}}}, About: &About{Kind: AboutReminder, Round: r.ID}}
	return e.post(ctx, p, m, Post{Dedupe: fmt.Sprintf("rem:%s:%d:%s", r.ID, i, pid), Quiet: true, Priority: Bulk})
}

// SendResults queues a participant's personal results message: their choices beside
// the totals, then the charts as one album. A round with fewer respondents than the
// threshold gets "te weinig deelnemers om de uitslag te tonen" and no charts
// (results.PersonalSummary, chartsFor).
func (e *Engine) SendResults(ctx context.Context, r *storage.Round, res *results.Results, pid string) (bool, error) {
	_, p, err := e.recipient(ctx, r, pid)
	if err != nil || p == nil {
		return false, err
	}
	raw, err := e.store.Answers(ctx, r.ID, pid)
	if err != nil {
		return false, err
	}
	answers := make(map[string]surveys.Answer, len(raw))
	for field, v := range raw {
		a, err := surveys.DecodeAnswer(v)
		if err != nil {
			return false, fmt.Errorf("answer %s: %w", field, err)
		}
		answers[field] = a
	}
	m := Message{Text: results.PersonalSummary(res, answers, surveys.Profile{Kern: p.Kern, Leeftijd: p.Leeftijd})}
	sent, err := e.post(ctx, p, m, Post{Dedupe: "res:" + r.ID + ":" + pid, Priority: Bulk})
	if err != nil {
		return sent, err
	}
	rc, err := e.chartsFor(ctx, r.ID, res)
	if err != nil {
		return sent, err
	}
	// album i takes the dedupe key of chart i of earlier versions, which sent
	// every chart alone: a broadcast resumed across the upgrade sends no chart twice
	for i, album := range chartAlbums(rc.questions, maxPersonalCharts) {
		if _, err := e.post(ctx, p, album, Post{Dedupe: chartKey("res:"+r.ID+":"+pid, i), Priority: Bulk}); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// SendDecision queues the decision (terugkoppeling) of a round for one participant.
func (e *Engine) SendDecision(ctx context.Context, r *storage.Round, pid string) (bool, error) {
	s, p, err := e.recipient(ctx, r, pid)
	if err != nil || p == nil {
		return false, err
	}
	text := fmt.Sprintf("📣 Terugkoppeling: %s\n\nU deed mee aan deze ronde. Dit is er met de uitkomst gedaan:\n\n%s\n\nBedankt voor uw inbreng!",
		s.Title, r.Decision)
	return e.post(ctx, p, Message{Text: text}, Post{Dedupe: "dec:" + r.ID + ":" + pid, Priority: Bulk})
}

// Announce queues the announcement of a round (participatiekaart + "Doe mee") to every
// configured announcement chat, once.
func (e *Engine) Announce(ctx context.Context, r *storage.Round) error {
	s, ok := e.catalog.Survey(r.Survey)
	if !ok {
		return fmt.Errorf("round %s: survey %s is not loaded", r.ID, r.Survey)
	}
	for _, to := range e.cfg.Announce {
		m := invitation(s, r, e.cfg.Location)
		m.To = to
		m.Text = "Nieuwe vragenronde van de gemeente: doe mee!\n\n" + m.Text
		if _, err := e.outbox.Post(ctx, m, Post{Dedupe: "ann:" + r.ID + ":" + to.Channel + ":" + to.ChatID, Quiet: true, Priority: Bulk}); err != nil {
			return err
		}
	}
	return nil
}

// SendStuurgroep queues the stuurgroep summary of a round to every configured
// stuurgroep chat, with every chart in albums of at most MaxAlbum; a round with
// fewer respondents than the threshold gets no numbers and no charts
// (results.StuurgroepSummary, chartsFor).
func (e *Engine) SendStuurgroep(ctx context.Context, r *storage.Round, res *results.Results) error {
	text := results.StuurgroepSummary(res)
	var rc *roundCharts
	if len(e.cfg.Stuurgroep) > 0 {
		var err error
		if rc, err = e.chartsFor(ctx, r.ID, res); err != nil {
			return err
		}
	}
	for _, to := range e.cfg.Stuurgroep {
		key := "sg:" + r.ID + ":" + to.Channel + ":" + to.ChatID
		m := Message{To: to, Text: text}
		if _, err := e.outbox.Post(ctx, m, Post{Dedupe: key, Priority: Bulk}); err != nil {
			return err
		}
		for i, album := range chartAlbums(rc.all, 0) {
			album.To = to
			if _, err := e.outbox.Post(ctx, album, Post{Dedupe: chartKey(key, i), Priority: Bulk}); err != nil {
				return err
			}
		}
	}
	return nil
}

// recipient loads the survey and a participant who can be messaged (nil if not).
func (e *Engine) recipient(ctx context.Context, r *storage.Round, pid string) (*surveys.Survey, *storage.Participant, error) {
	s, ok := e.catalog.Survey(r.Survey)
	if !ok {
		return nil, nil, fmt.Errorf("round %s: survey %s is not loaded", r.ID, r.Survey)
	}
	p, _, err := e.participant(ctx, pid)
	if errors.Is(err, storage.ErrNotFound) {
		return s, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !p.Active || !p.Consented() {
		return s, nil, nil
	}
	return s, p, nil
}

func (e *Engine) post(ctx context.Context, p *storage.Participant, m Message, post Post) (bool, error) {
	m.To = Address{Channel: p.Channel, ChatID: p.ChatID}
	m.Participant = p.ID
	return e.outbox.Post(ctx, m, post)
}

// ParseAddresses parses "telegram:123,discord:456" into addresses.
func ParseAddresses(s string) ([]Address, error) {
	var out []Address
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ch, chat, ok := strings.Cut(part, ":")
		if !ok || ch == "" || chat == "" {
			return nil, fmt.Errorf("address %q: want channel:chat, e.g. telegram:-100123", part)
		}
		out = append(out, Address{Channel: ch, ChatID: chat})
	}
	return out, nil
}

// SendDigest queues the stuurgroep digest of a period to every stuurgroep chat: the
// chat message, then the report as a Markdown and an HTML file, once per period.
// The files are stored once (storage.PutBlob) and queued by reference, like charts,
// so the outbox does not hold a copy of the report for every stuurgroep chat.
func (e *Engine) SendDigest(ctx context.Context, period string, rep *digest.Report) error {
	if len(e.cfg.Stuurgroep) == 0 {
		return nil
	}
	mdRef, err := e.store.PutBlob(ctx, rep.Markdown)
	if err != nil {
		return fmt.Errorf("digest %s: %w", period, err)
	}
	htmlRef, err := e.store.PutBlob(ctx, rep.HTML)
	if err != nil {
		return fmt.Errorf("digest %s: %w", period, err)
	}
	for _, to := range e.cfg.Stuurgroep {
		key := "dg:" + period + ":" + to.Channel + ":" + to.ChatID
		msgs := []Message{
			{To: to, Text: rep.Chat},
			{To: to, Text: "Het volledige verslag (Markdown).", Document: &File{Name: rep.Name + ".md", Ref: mdRef}},
			{To: to, Text: "Het volledige verslag met grafieken (HTML, te openen in een browser).", Document: &File{Name: rep.Name + ".html", Ref: htmlRef}},
		}
		for i, m := range msgs {
			if _, err := e.outbox.Post(ctx, m, Post{Dedupe: key + ":" + strconv.Itoa(i), Priority: Bulk}); err != nil {
				return err
			}
		}
	}
	return nil
}
