package themes

// stopWordsNL are the words Themes leaves out of open answers: they carry no theme
// of their own. The list is written out here, not loaded, so a review sees every
// word. It starts from the Snowball Dutch stop list
// (https://snowballstem.org/algorithms/dutch/stop.txt) and adds, by hand:
//   - all persons of the pronouns, and the determiners and quantifiers
//     ("iedereen", "sommige", "verschillende");
//   - the prepositions and conjunctions;
//   - the forms of the auxiliaries and light verbs ("zijn", "hebben", "worden",
//     "kunnen", "moeten", "willen", "zullen", "mogen", "gaan", "doen", "maken",
//     "laten", "krijgen", "komen", "blijven", "staan", "houden", "geven",
//     "zeggen", "zien", "weten", "lijken", "zitten", "liggen") and of the verbs
//     of opinion an answer opens with ("vind", "denk", "hoop");
//   - adverbs and intensifiers ("wel", "niet", "ook", "nog", "heel", "erg",
//     "veel", "meer", "meest", "minder", "extra", "graag", "vooral", "samen");
//   - the numbers two to ten written out ("een" is an article anyway);
//   - words that echo a survey question rather than answer it: the generic
//     verdicts "belangrijk", "goed", "beter", "best", "prima", "fijn", "leuk",
//     "mooi" (with their inflections), "gemeente", the addressee of nearly every
//     question, and the empty nouns "ding", "dingen", "aandacht" ("meer aandacht
//     voor de jeugd" is about the jeugd).
//
// Kept on purpose: nouns and adjectives with a topic, even common ones ("mensen",
// "zorg", "dorp", "kern", "veilig", "slecht", "snel", "druk"), and place names
// ("Dalfsen", "Nieuwleusen"), which are what answers about a kern are about.
// "meer" and "minder" are stop words on their own but may open a two-word term,
// see bigramModifiers.
//
// Entries are lower case, with diacritics folded (dutch.Fold: "één" is "een"), and
// sorted; a test checks both.
var stopWordsNL = []string{
	"aan", "aandacht", "acht", "achter", "af", "al", "alle", "alleen", "allen", "alles", "als",
	"alsof", "altijd", "ander", "andere", "anderen",
	"beetje", "behalve", "beide", "beiden", "belangrijk", "belangrijke", "belangrijker",
	"belangrijkst", "belangrijkste", "ben", "beneden", "bent", "best", "beste", "beter",
	"betere", "bij", "bijna", "bijv", "bijvoorbeeld", "binnen", "bleef", "bleven", "blijf",
	"blijft", "blijven", "boven", "bovendien", "buiten", "bv",
	"daar", "daaraan", "daarbij", "daardoor", "daarin", "daarmee", "daarna", "daarnaast",
	"daarom", "daarop", "daarvan", "daarvoor", "dacht", "dachten", "dan", "dankzij", "dat",
	"de", "deden", "deed", "denk", "denken", "denkt", "deze", "dezelfde", "die", "ding",
	"dingen", "dit", "diverse", "doe", "doen", "doet", "door", "doordat", "drie", "dus",
	"echt", "een", "eens", "eerst", "eigenlijk", "elk", "elkaar", "elke", "en", "enige",
	"enkele", "enorm", "enz", "er", "erg", "ergens", "etc", "even", "eveneens", "extra",
	"fijn", "fijne",
	"ga", "gaan", "gaat", "gaf", "gaven", "gebleven", "gedaan", "gedacht", "geef", "geeft",
	"geen", "gegaan", "gegeven", "gehad", "gehouden", "gekomen", "gekregen", "gekund",
	"gelaten", "gemaakt", "gemeente", "gemoeten", "genoeg", "gestaan", "geven", "gevonden",
	"geweest", "geweten", "gewild", "gewoon", "geworden", "gezegd", "gezien", "ging", "gingen",
	"goed", "goede", "graag",
	"haar", "had", "hadden", "heb", "hebben", "hebt", "heeft", "heel", "hele", "helemaal",
	"hem", "hen", "het", "hetzelfde", "hield", "hielden", "hier", "hierbij", "hiervoor", "hij",
	"hoe", "hoewel", "hoop", "hoopt", "hopen", "houd", "houden", "houdt", "hun",
	"ieder", "iedere", "iedereen", "iemand", "iets", "ik", "in", "indien", "is", "ivm",
	"ja", "je", "jij", "jou", "jouw", "juist", "jullie",
	"kan", "keer", "kom", "komen", "komt", "kon", "konden", "kreeg", "kregen", "krijg",
	"krijgen", "krijgt", "kun", "kunnen", "kunt", "kwam", "kwamen",
	"laat", "lag", "langs", "laten", "leek", "leuk", "leuke", "liefst", "liet", "lieten",
	"liever", "liggen", "ligt", "lijken", "lijkt",
	"maak", "maakt", "maakte", "maakten", "maar", "mag", "maken", "mbt", "me", "meer",
	"meerdere", "meest", "meeste", "men", "met", "meteen", "mezelf", "middels", "mij", "mijn",
	"mijzelf", "minder", "minst", "minste", "misschien", "mits", "mocht", "mochten", "moest",
	"moesten", "moet", "moeten", "mogelijk", "mogen", "momenteel", "mooi", "mooie",
	"na", "naar", "naast", "nabij", "nadat", "namelijk", "namens", "natuurlijk", "nee", "negen",
	"niemand", "niet", "niets", "niks", "noch", "nog", "nogal", "nooit", "nou", "nu",
	"oa", "of", "ofwel", "om", "omdat", "omtrent", "ondanks", "onder", "ongeveer", "ons",
	"ontzettend", "onze", "ooit", "ook", "op", "opnieuw", "over", "overal", "overigens",
	"per", "prima",
	"reeds", "rond", "rondom",
	"samen", "sinds", "sommige", "soms", "sowieso", "sta", "staan", "staat", "steeds", "stond",
	"stonden", "straks", "super",
	"te", "tegen", "tegenover", "tegenwoordig", "tenzij", "terwijl", "teveel", "tevens", "tien",
	"tijdens", "toch", "toen", "tot", "totdat", "tussen", "twee",
	"u", "uit", "uiteraard", "uw",
	"vaak", "van", "vanaf", "vanuit", "vanwege", "vanzelfsprekend", "veel", "vele", "velen",
	"verder", "verschillende", "vervolgens", "via", "vier", "vijf", "vind", "vinden", "vindt",
	"volgens", "vond", "vonden", "voor", "vooral", "voorbij", "voordat",
	"waar", "waarbij", "waardoor", "waarin", "waarmee", "waarom", "waarop", "wanneer", "want",
	"waren", "was", "wat", "we", "weer", "wees", "weet", "wegens", "weinig", "weinigen", "wel",
	"welk", "welke", "wellicht", "werd", "werden", "weten", "wie", "wiens", "wij", "wil",
	"wilde", "wilden", "willen", "wilt", "wist", "wisten", "word", "worden", "wordt", "wou",
	"zag", "zagen", "zal", "zat", "ze", "zeer", "zeg", "zeggen", "zegt", "zei", "zeiden",
	"zeker", "zelf", "zelfs", "zes", "zeven", "zich", "zichzelf", "zie", "zien", "ziet", "zij",
	"zijn", "zit", "zitten", "zo", "zo'n", "zoals", "zodat", "zodra", "zoiets", "zonder", "zou",
	"zouden", "zoveel", "zowat", "zowel", "zulk", "zulke", "zullen", "zult",
}

// stopWords is stopWordsNL as a set.
var stopWords = func() map[string]bool {
	m := make(map[string]bool, len(stopWordsNL))
	for _, w := range stopWordsNL {
		m[w] = true
	}
	return m
}()

// bigramModifiers are stop words that may still open a two-word term: "meer groen"
// and "minder verkeer" say what an answer wants, while "meer" or "minder" alone
// says nothing. They never close a two-word term and never stand alone.
var bigramModifiers = map[string]bool{"meer": true, "minder": true}
