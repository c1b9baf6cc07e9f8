package surveys

import "github.com/participatiebot/participatiebot/lang"

// The texts the loader adds itself, in every language of lang.Supported: the default
// labels of a likert question, its "Weet ik niet" and the procesevaluatie. A
// translated survey (Survey.In) has them in its language without the file giving
// them. The translations other than Dutch and English are machine-made and wait for
// a native speaker's review.

// builtinTexts is one text the loader adds, per language.
type builtinTexts map[lang.Code]string

var (
	weetNietTexts = builtinTexts{
		lang.NL: "Weet ik niet",
		lang.EN: "Don't know",
		lang.AR: "لا أعرف",
		lang.TR: "Bilmiyorum",
		lang.PL: "Nie wiem",
		lang.UK: "Не знаю",
	}
	procesevaluatieTexts = builtinTexts{
		lang.NL: "Hoe tevreden bent u over hoe deze ronde verliep? Geef een cijfer van 1 tot 10.",
		lang.EN: "How satisfied are you with how this round went? Give a mark from 1 to 10.",
		lang.AR: "ما مدى رضاك عن سير هذه الجولة من الاستطلاع؟ أعطِ درجة من 1 إلى 10.",
		lang.TR: "Bu anket turunun nasıl geçtiğinden ne kadar memnunsunuz? 1 ile 10 arasında bir puan verin.",
		lang.PL: "Jak ocenia Pan/Pani przebieg tej tury ankiety? Proszę wybrać ocenę od 1 do 10.",
		lang.UK: "Наскільки Ви задоволені тим, як пройшов цей раунд опитування? Поставте оцінку від 1 до 10.",
	}
	// likertTexts are the five default points of the agreement scale, disagree
	// first, as defaultLikertLabels.
	likertTexts = [likertPoints]builtinTexts{
		{lang.NL: "Helemaal mee oneens", lang.EN: "Strongly disagree", lang.AR: "أعارض بشدة",
			lang.TR: "Kesinlikle katılmıyorum", lang.PL: "Zdecydowanie się nie zgadzam", lang.UK: "Зовсім не погоджуюся"},
		{lang.NL: "Mee oneens", lang.EN: "Disagree", lang.AR: "أعارض",
			lang.TR: "Katılmıyorum", lang.PL: "Nie zgadzam się", lang.UK: "Не погоджуюся"},
		{lang.NL: "Neutraal", lang.EN: "Neutral", lang.AR: "محايد",
			lang.TR: "Ne katılıyorum ne katılmıyorum", lang.PL: "Ani tak, ani nie", lang.UK: "Нейтрально"},
		{lang.NL: "Mee eens", lang.EN: "Agree", lang.AR: "أوافق",
			lang.TR: "Katılıyorum", lang.PL: "Zgadzam się", lang.UK: "Погоджуюся"},
		{lang.NL: "Helemaal mee eens", lang.EN: "Strongly agree", lang.AR: "أوافق بشدة",
			lang.TR: "Kesinlikle katılıyorum", lang.PL: "Zdecydowanie się zgadzam", lang.UK: "Повністю погоджуюся"},
	}
)

// builtinText is t in language c, in Dutch when c is not one of lang.Supported.
func builtinText(t builtinTexts, c lang.Code) string {
	if s, ok := t[c]; ok {
		return s
	}
	return t[lang.NL]
}

// others is t without the source language: the translations of a text the loader
// adds, for a survey whose source is source.
func (t builtinTexts) others(source lang.Code) map[lang.Code]string {
	out := make(map[lang.Code]string, len(t))
	for c, s := range t {
		if c != source {
			out[c] = s
		}
	}
	return out
}
