package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

// The group chats' broadcasts: the announcement of a round, the stuurgroep's summary
// and digest. Each message is queued once under its dedupe key, as Bulk; the
// residents' broadcasts are in broadcast.go.

// Announce queues the announcement of a round (participatiekaart + "Doe mee") to every
// configured announcement chat, once.
func (e *Engine) Announce(ctx context.Context, r *storage.Round) error {
	s, ok := e.catalog.Survey(r.Survey)
	if !ok {
		return fmt.Errorf("round %s: survey %s is not loaded", r.ID, r.Survey)
	}
	for _, to := range e.cfg.Announce {
		m := e.invitation(lang.Dutch(), s, r)
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
	if s, ok := e.catalog.Survey(r.Survey); ok {
		text = e.withPhase(lang.Dutch(), s, text)
	}
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
		for i, album := range chartAlbums(rc.all) {
			album.To = to
			if _, err := e.outbox.Post(ctx, album, Post{Dedupe: chartKey(key, i), Priority: Bulk}); err != nil {
				return err
			}
		}
	}
	return nil
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
