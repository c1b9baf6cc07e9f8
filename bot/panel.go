package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// A resident drawn by lot for a trajectory's panel gets a letter with a personal
// code, and joins with it: "/start <code>" (the letter's t.me link, the web chat's
// ?code=), or the code typed alone. The code says their kern and leeftijdsgroep (the
// stratum it was drawn in), so they are not asked; their answers in the
// trajectory's rounds count for the panel too (Profile.Panel).

// codeShaped reports whether typed text has the shape of an invitation code (10 to
// 16 letters and digits, both, with dashes or spaces between groups), so that a
// mistyped code is answered as one and not as chat.
func (c *conv) codeShaped(text string) bool {
	if c.e.cfg.PanelCode == nil {
		return false
	}
	s := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(text))
	if len(s) < 10 || len(s) > 16 {
		return false
	}
	var letter, digit, lower bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z':
			letter, lower = true, true
		case r >= 'A' && r <= 'Z':
			letter = true
		default:
			return false
		}
	}
	// about one code in 36 has no digit (23 of its 31 characters are letters): typed
	// in capitals, as printed, it is still a code; a word in lower case is not
	return letter && (digit || !lower)
}

// looksLikeCode reads text as an invitation code when a lottery is kept.
func (c *conv) looksLikeCode(text string) (hash, code string, ok bool) {
	if c.e.cfg.PanelCode == nil {
		return "", "", false
	}
	return c.e.cfg.PanelCode(strings.TrimSpace(text))
}

// panelCode answers a code: before consent the welcome of the panel and the consent
// question, whose "Ja" joins with the code; after consent it joins at once.
func (c *conv) panelCode(ctx context.Context, typed string) error {
	hash, code, ok := c.looksLikeCode(typed)
	if !ok {
		if err := c.sayText(ctx, c.t("code_bad")); err != nil {
			return err
		}
		return c.openAfterCode(ctx)
	}
	if c.consented() {
		return c.joinPanel(ctx, hash)
	}
	pc, err := c.e.store.PanelCodeOf(ctx, hash)
	if err == nil {
		switch {
		case pc.Participant != "" && pc.Participant != c.pid:
			err = storage.ErrCodeUsed
		case pc.Participant == "" && pc.Expires.Before(c.e.cfg.Now()):
			err = storage.ErrCodeExpired
		}
	}
	if err != nil {
		return c.codeRefused(ctx, pc, err)
	}
	title := pc.Traject
	if t, ok := c.e.catalog.Trajectory(pc.Traject); ok {
		title = t.Title
	}
	text := c.t("code_welcome", "Traject", title, "Gemeente", c.municipality(), "Kern", orUnknown(c.pr(), pc.Kern()), "Leeftijd", c.leeftijdLabel(pc.Leeftijd())) +
		"\n\n" + c.consentText()
	return c.sayText(ctx, text, []Choice{{Label: c.t("consent_yes_button"), Data: encode("okc", strings.ReplaceAll(code, "-", ""))}}, []Choice{{Label: c.t("consent_no_button"), Data: dataConsentNo}})
}

// panelConsent is "Ja, ik doe mee" under a panel's welcome: the code is used, then
// the consent saved with the code's stratum as the profile.
func (c *conv) panelConsent(ctx context.Context, code string) error {
	if c.consented() {
		return c.panelCode(ctx, code)
	}
	hash, _, ok := c.looksLikeCode(code)
	if !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	pc, err := c.e.store.RedeemPanelCode(ctx, hash, c.pid, c.e.cfg.Now())
	if err != nil {
		return c.codeRefused(ctx, pc, err)
	}
	p := &storage.Participant{ID: c.pid, Channel: c.ev.Channel, ChatID: c.e.sealChat(c.pid, c.ev.ChatID),
		ConsentVersion: c.e.cfg.ConsentVersion, ConsentAt: c.e.cfg.Now(),
		Kern: pc.Kern(), Leeftijd: pc.Leeftijd(), Panel: pc.Traject, PanelCode: hash}
	if err := c.e.store.SaveConsent(ctx, p); err != nil {
		return err
	}
	p.ChatID = c.ev.ChatID
	c.p = p
	c.log.Info("consent recorded", "version", p.ConsentVersion, "panel", true)
	if err := c.echo(ctx, c.t("consent_question"), c.t("consent_yes_button")); err != nil {
		return err
	}
	return c.offerRounds(ctx, c.t("code_joined", "Traject", c.trajectoryTitle(pc.Traject)))
}

// joinPanel uses a code for a resident who takes part already: from now on they
// count for the panel, with the code's kern and leeftijdsgroep.
func (c *conv) joinPanel(ctx context.Context, hash string) error {
	pc, err := c.e.store.RedeemPanelCode(ctx, hash, c.pid, c.e.cfg.Now())
	if err != nil {
		return c.codeRefused(ctx, pc, err)
	}
	if err := c.e.store.JoinPanel(ctx, c.pid, pc.Traject, hash, pc.Kern(), pc.Leeftijd()); err != nil {
		return err
	}
	c.p.Panel, c.p.Kern, c.p.Leeftijd = pc.Traject, pc.Kern(), pc.Leeftijd()
	return c.offerRounds(ctx, c.t("code_joined", "Traject", c.trajectoryTitle(pc.Traject))+
		"\n\n"+c.t("code_profile", "Kern", orUnknown(c.pr(), pc.Kern()), "Leeftijd", c.leeftijdLabel(pc.Leeftijd())))
}

// codeRefused says why a code cannot be used, then how to take part without one.
func (c *conv) codeRefused(ctx context.Context, pc storage.PanelCode, err error) error {
	var text string
	switch {
	case errors.Is(err, storage.ErrCodeUnknown):
		text = c.t("code_unknown")
	case errors.Is(err, storage.ErrCodeUsed):
		text = c.t("code_used", "Gemeente", c.municipality())
	case errors.Is(err, storage.ErrCodeExpired):
		text = c.t("code_expired", "Datum", c.pr().Date(pc.Expires.In(c.e.cfg.Location)))
	default:
		return err
	}
	if err := c.sayText(ctx, text); err != nil {
		return err
	}
	return c.openAfterCode(ctx)
}

// openAfterCode goes on without a code: the resident's rounds, or the start.
func (c *conv) openAfterCode(ctx context.Context) error {
	if c.consented() {
		return c.offerRounds(ctx, "")
	}
	if err := c.sayText(ctx, c.t("code_open")); err != nil {
		return err
	}
	return c.start(ctx)
}

func (c *conv) trajectoryTitle(id string) string {
	if t, ok := c.e.catalog.Trajectory(id); ok {
		return t.Title
	}
	return id
}

// inPanel reports whether p's answers in a round of s count for the panel: p joined
// the panel of the trajectory s belongs to.
func (e *Engine) inPanel(p *storage.Participant, s *surveys.Survey) bool {
	if p == nil || p.Panel == "" {
		return false
	}
	t, _, ok := e.catalog.TrajectoryOf(s.ID)
	return ok && t.ID == p.Panel
}

// leeftijdLabel is how the resident reads an age group id ("25 – 44 jaar").
func (c *conv) leeftijdLabel(id string) string {
	for _, l := range leeftijden {
		if l.ID == id {
			return groupLabel(c.pr(), l)
		}
	}
	return orUnknown(c.pr(), id)
}
