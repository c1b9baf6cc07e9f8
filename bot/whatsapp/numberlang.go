package whatsapp

import (
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

// WhatsApp gives no language of its own. The country calling code a resident's
// number starts with (wa_id has it without "+") preselects one: a Polish number
// Polish, a Ukrainian one Ukrainian, one from an Arabic-speaking country Arabic. It
// is only the first choice of someone who has not chosen (bot.Event.Lang): the
// welcome says so in its language button, and a Dutch reader with a foreign
// number changes it with one tap. A Dutch number (31) and every other gives none.
var callingCodes = []struct {
	prefix string
	code   lang.Code
}{
	{"380", lang.UK}, {"48", lang.PL}, {"90", lang.TR},
	{"44", lang.EN}, {"353", lang.EN}, {"1", lang.EN}, {"61", lang.EN}, {"64", lang.EN},
	// the Arab League's members with a calling code of their own
	{"20", lang.AR}, {"212", lang.AR}, {"213", lang.AR}, {"216", lang.AR}, {"218", lang.AR}, {"249", lang.AR},
	{"961", lang.AR}, {"962", lang.AR}, {"963", lang.AR}, {"964", lang.AR}, {"965", lang.AR}, {"966", lang.AR},
	{"967", lang.AR}, {"968", lang.AR}, {"970", lang.AR}, {"971", lang.AR}, {"973", lang.AR}, {"974", lang.AR},
}

// numberLang is the language a number's calling code suggests, "" for none.
func numberLang(waID string) string {
	best := ""
	var code lang.Code
	for _, c := range callingCodes {
		if strings.HasPrefix(waID, c.prefix) && len(c.prefix) > len(best) {
			best, code = c.prefix, c.code
		}
	}
	return string(code)
}
