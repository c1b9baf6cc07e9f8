package themes

import (
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

// tongue is what Themes needs of a language: its stop words, its stemmer, and the
// words that make a two-word term before a kept word ("meer groen").
type tongue struct {
	stop      map[string]bool
	stem      func(string) string
	modifiers map[string]bool
}

var dutchTongue = tongue{stop: stopWords, stem: stemNL, modifiers: bigramModifiers}

// tongueOf is the tongue of language c; one without a stop list of its own (none
// here) is read as Dutch.
func tongueOf(c lang.Code) tongue {
	if c == lang.NL {
		return dutchTongue
	}
	t, ok := otherTongues[c]
	if !ok {
		return dutchTongue
	}
	return t
}

// The stop words of the other languages residents answer in: articles, pronouns,
// prepositions, conjunctions, auxiliaries, the commonest adverbs, and the generic
// verdicts an answer opens with ("good", "important"), as in the Dutch list. Short
// on purpose: a word missing here shows as a theme a reader can tell apart, a word
// wrongly here hides one. Folded as Themes folds words (lower case, the Dutch
// diacritics dropped). No stemming: in these languages a plural is a term of its own.
var otherStopWords = map[lang.Code]string{
	lang.EN: `a an the and or but if so as at by for from in into of on onto to with without about over under
		than then there here this that these those it its i me my we us our you your he him his she her they them their
		is are was were be been being am do does did done have has had will would shall should can could may might must
		not no yes very more most less much many some any all also too just only still even again really please
		what which who whom whose when where why how there's it's i'm don't dont can't cant isn't
		good better best great nice important think thought want like need maybe more lot lots get make`,
	lang.TR: `ve veya ama fakat ile için gibi kadar daha çok az en bu şu o bir biz siz onlar ben sen
		da de ki mi mı mu mü ne neden nasıl nerede niye her hiç hem ya yani ise değil var yok olan olarak
		olsun olmalı olması olur oldu olan şey şeyler bence sanırım bile artık sadece
		iyi güzel önemli lazım gerek istiyorum isterim`,
	lang.PL: `i a w we z ze na do od o u za przez przy po dla bez nad pod przed między że aby żeby bo ale lub albo czy
		to ten ta te tego tej tym tych jest są był była było były być będzie mam ma mają można trzeba
		nie tak już jeszcze też bardzo więcej mniej dużo mało wszystko coś ktoś jak gdzie kiedy dlaczego który która które
		się mi mnie my nas wy ja on ona oni one ich jego jej sobie
		dobrze dobry lepiej ważne fajnie chciałbym chciałabym myślę uważam`,
	lang.UK: `і й та а але або чи що щоб бо як де коли чому який яка яке які
		в у на до від з із за про для без над під перед між через по при
		це цей ця ці той та те ті він вона воно вони ми ви я мене мені нам нас вам їх його її собі
		є був була було були бути буде можна треба потрібно
		не так вже ще теж також дуже більше менше багато мало все щось хтось
		добре добрий краще важливо хочу думаю вважаю`,
	lang.AR: `و أو ثم لكن بل في من إلى على عن مع عند حتى لدى بين
		هذا هذه ذلك تلك هنا هناك هو هي هم هن أنا نحن أنت أنتم
		الذي التي الذين ما ماذا لماذا كيف أين متى هل لا لم لن ليس ليست
		كان كانت يكون تكون قد كل بعض أكثر أقل جدا أيضا فقط
		أن إن أنه أنها به بها له لها لنا لي
		جيد أفضل مهم أريد أعتقد يجب`,
}

var otherTongues = func() map[lang.Code]tongue {
	out := map[lang.Code]tongue{}
	for c, words := range otherStopWords {
		stop := map[string]bool{}
		for _, w := range strings.Fields(words) {
			stop[foldKey(w)] = true
		}
		out[c] = tongue{stop: stop, stem: func(w string) string { return w }}
	}
	return out
}()
