package whatsapp_test

import (
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
)

// TestParseTemplatesPerLanguage: a kind may be given once per language; the first
// is its default; the same kind twice in one language is refused.
func TestParseTemplatesPerLanguage(t *testing.T) {
	got, err := whatsapp.ParseTemplates("uitnodiging=participatie_uitnodiging, uitnodiging=participatie_uitnodiging:ar, uitslag=participatie_uitslag:en")
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]whatsapp.Template{
		"uitnodiging": {Name: "participatie_uitnodiging", Language: "nl"}, "uitnodiging@nl": {Name: "participatie_uitnodiging", Language: "nl"},
		"uitnodiging@ar": {Name: "participatie_uitnodiging", Language: "ar"},
		"uitslag":        {Name: "participatie_uitslag", Language: "en"}, "uitslag@en": {Name: "participatie_uitslag", Language: "en"},
	} {
		if got[k] != want {
			t.Errorf("%s: got %+v, want %+v", k, got[k], want)
		}
	}
	if _, err := whatsapp.ParseTemplates("uitnodiging=a, uitnodiging=b:nl"); err == nil {
		t.Error("the same kind twice in Dutch was accepted")
	}
}

// TestTemplateInTheResidentsLanguage: outside the window an Arabic reader's
// invitation goes as the Arabic translation of the template, a Turkish reader's
// (no Turkish one approved) as the default, Dutch.
func TestTemplateInTheResidentsLanguage(t *testing.T) {
	r := newRig(t, func(c *whatsapp.Config) {
		c.Templates["uitnodiging@nl"] = whatsapp.Template{Name: "participatie_uitnodiging", Language: "nl"}
		c.Templates["uitnodiging@ar"] = whatsapp.Template{Name: "participatie_uitnodiging", Language: "ar"}
	})
	r.approveAll()
	r.fake.ApproveTemplate("participatie_uitnodiging", "ar", 3, 1)
	r.run(t, r.ev)
	for code, want := range map[string]string{"ar": "ar", "tr": "nl"} {
		invite := bot.Message{Text: "…", Lang: code, Choices: [][]bot.Choice{{{Label: "…", Data: "go:K7"}}},
			About:  &bot.About{Kind: bot.AboutInvite, Round: "r1"},
			Notice: &bot.Notice{Kind: bot.NoticeInvite, Round: "r1", Title: "ساحة دالفسن", Closes: "الثلاثاء 15 ديسمبر الساعة 17:00"}}
		if err := r.send(t, invite); err != nil {
			t.Fatal(err)
		}
		if tpl := r.fake.Last(anna); tpl.Type != "template" || tpl.Template.Language != want {
			t.Errorf("invitation to a %s reader: %+v %+v, want the template in %s", code, tpl, tpl.Template, want)
		}
	}
}
