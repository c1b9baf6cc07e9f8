package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Every command parses its command line with parseArgs before it opens or starts
// anything, so `participatiebot serve --help` prints help and nothing else happens.

// errHelp says a command printed its help: run exits 0.
var errHelp = errors.New("help printed")

// usageError is a command line that does not fit the command: run prints the Dutch
// message with the command's help on stderr and exits 2.
type usageError struct {
	topic string // key in helpTexts, e.g. "rounds open"
	msg   string
}

func (e *usageError) Error() string { return e.msg }

func usagef(topic, format string, a ...any) error {
	return &usageError{topic: topic, msg: fmt.Sprintf(format, a...)}
}

// userError is a failure as the organiser reads it: text is one Dutch sentence (or
// a few) that says what went wrong and what to do; err is the failure with its
// context, for the code (errors.Is, errors.As) and for Error. run prints text alone.
type userError struct {
	text string
	err  error
}

func (e *userError) Error() string { return e.err.Error() }
func (e *userError) Unwrap() error { return e.err }

// tellf wraps err with the Dutch text the organiser reads.
func tellf(err error, format string, a ...any) error {
	return &userError{text: fmt.Sprintf(format, a...), err: err}
}

// isHelpFlag reports whether arg asks for help the way the flag package takes it.
func isHelpFlag(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && (name == "h" || name == "help")
}

// parseArgs parses the flags of fs in args, also after the positional arguments
// ("results RONDE --raw"), and returns the positional arguments; after "--" all
// arguments are positional. -h, -help and --help print the topic's help to out,
// also where a value or a file name would be (decide --text --help, validate --
// --help): nobody means a file called --help. Another argument that looks like an
// option is refused, not opened as a file or looked up as a round.
func parseArgs(fs *flag.FlagSet, topic string, args []string, out io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	help := func() ([]string, error) {
		fmt.Fprint(out, helpTexts[topic])
		return nil, errHelp
	}
	var pos []string
	all := args
	for {
		if err := fs.Parse(args); err != nil {
			// "-n -h": whoever asks for help gets it, also on a line that is wrong
			if errors.Is(err, flag.ErrHelp) || slices.ContainsFunc(all, isHelpFlag) {
				return help()
			}
			return nil, &usageError{topic: topic, msg: dutchFlagError(err)}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	asked := false
	fs.Visit(func(f *flag.Flag) { asked = asked || isHelpFlag(f.Value.String()) })
	for _, p := range pos {
		asked = asked || isHelpFlag(p)
	}
	if asked {
		return help()
	}
	for _, p := range pos {
		if len(p) > 1 && strings.HasPrefix(p, "-") {
			return nil, usagef(topic, "%q is een optie die hier niet kan; is het een bestand, schrijf dan ./%s", p, p)
		}
	}
	return pos, nil
}

// flagErrors translates the messages of the flag package, so an organiser reads Dutch.
// An unknown message is shown as it is.
var flagErrors = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^flag provided but not defined: (\S+)$`), "onbekende optie $1"},
	{regexp.MustCompile(`^flag needs an argument: (\S+)$`), "optie $1 heeft een waarde nodig"},
	{regexp.MustCompile(`(?s)^invalid boolean value ("[^"]*") for (\S+):.*$`), "ongeldige waarde $1 voor optie $2: kies true of false"},
	{regexp.MustCompile(`(?s)^invalid value ("[^"]*") for flag (\S+): parse error$`), "ongeldige waarde $1 voor optie $2: schrijf een getal"},
	{regexp.MustCompile(`(?s)^invalid value ("[^"]*") for flag (\S+):.*$`), "ongeldige waarde $1 voor optie $2"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "onjuist geschreven optie $1"},
}

// dutchFlagError is the flag package's err in Dutch; a message it does not know
// (a newer Go's) is named as a wrong command line, without the English.
func dutchFlagError(err error) string {
	msg := err.Error()
	for _, f := range flagErrors {
		if f.re.MatchString(msg) {
			return f.re.ReplaceAllString(msg, f.repl)
		}
	}
	return "deze opties kloppen niet"
}

// noArgs refuses positional arguments for a command that takes none.
func noArgs(topic string, pos []string) error {
	if len(pos) > 0 {
		return usagef(topic, "onverwacht argument %q", strings.Join(pos, " "))
	}
	return nil
}

const helpOption = "  -h, --help                toon deze hulp\n"

// helpTexts is the help of every command, printed on stdout by --help.
var helpTexts = map[string]string{
	"": usage,
	"help": `Gebruik: participatiebot help [COMMANDO]

Toont het overzicht van alle commando's, of de hulp bij één commando
(bijvoorbeeld: participatiebot help results).

Opties:
` + helpOption,
	"serve": `Gebruik: participatiebot serve

Start de webchat, de bots (Telegram, Discord), het dashboard en de planner, tot Ctrl-C
of SIGTERM. Zonder REDIS_URL start serve een eigen redis-server in DATA_DIR/redis.
Per DATA_DIR draait er één serve; een tweede weigert te starten.

HTTP: /healthz antwoordt "ok" zolang de dienst draait, /readyz alleen als ook Redis
antwoordt (anders 503).
Met TELEGRAM_WEBHOOK_URL neemt serve Telegram-updates aan op het pad van die URL;
zonder haalt één replica tegelijk ze op (long polling).

Instellingen komen uit omgevingsvariabelen; zie README.md.

Opties:
` + helpOption,
	"validate": `Gebruik: participatiebot validate BESTAND…

Controleert vragenlijsten (YAML) en meldt elk probleem als bestand:regel:kolom: melding,
met op de regel eronder een tip hoe u het oplost. Geeft 0 als alles klopt, 1 bij een
probleem.

Opties:
` + helpOption,
	"rounds": `Gebruik:
  participatiebot rounds list [--archief]     toon de rondes (--archief: ook de oude)
  participatiebot rounds open VRAGENLIJST     open nu een ronde van een vragenlijst
  participatiebot rounds close RONDE          sluit een ronde nu (uitslag gaat daarna uit)

Gebruikt REDIS_URL, of de opslag van een draaiende serve in DATA_DIR.

Opties:
` + helpOption,
	"rounds list": `Gebruik: participatiebot rounds list [--archief]

Toont de rondes met status, respons en de volgende stap: elke ronde waarvan de
losse antwoorden nog bewaard worden. Is de bewaartermijn van een ronde voorbij,
dan blijft alleen de uitslag (de tellingen) bewaard en staat de ronde alleen nog
in het archief.

Opties:
  --archief                 toon ook de rondes waarvan de bewaartermijn voorbij is
` + helpOption,
	"rounds open": `Gebruik: participatiebot rounds open VRAGENLIJST

Opent nu een ronde van de vragenlijst met deze id: uit SURVEYS_DIR, of geladen in het
dashboard (die staan in DATA_DIR/vragenlijsten). Een draaiende serve verstuurt daarna
de uitnodigingen.

Opties:
` + helpOption,
	"rounds close": `Gebruik: participatiebot rounds close RONDE

Sluit de ronde nu. Een draaiende serve verstuurt daarna de uitslag.

Opties:
` + helpOption,
	"results": `Gebruik:
  participatiebot results RONDE [--format text|json|csv|csv-intl|xlsx] [--out BESTAND]
  participatiebot results RONDE --format png --out MAP
  participatiebot results RONDE --raw [--publicatie] [--format csv|csv-intl|json] [--out BESTAND]
  participatiebot results RONDE --raw --picks [--publicatie] [--out BESTAND]

Toont de uitslag van een ronde: dezelfde cijfers die deelnemers en stuurgroep krijgen.

Formaten:
  text                      leesbare tekst (standaard)
  json                      JSON, voor programma's
  csv                       voor Excel en LibreOffice in het Nederlands: puntkomma tussen
                            de kolommen, decimale komma, Nederlandse kolomnamen (standaard
                            met --raw)
  csv-intl                  voor scripts: komma tussen de kolommen, decimale punt, Engelse
                            kolomnamen (de CSV van eerdere versies)
  xlsx                      Excel-werkmap: getallen als getallen, een blad per soort vraag
                            (met --out, of > uitslag.xlsx)
  png                       de grafieken van de uitslag, één bestand per vraag en de
                            afspiegeling, in de map van --out (alleen van een gesloten
                            ronde met genoeg deelnemers)

Opties:
  --format FORMAAT          een van de formaten hierboven
  --out BESTAND             schrijf naar dit bestand in plaats van naar het scherm; bij png
                            een map, die gemaakt wordt als hij nog niet bestaat
  --raw                     de losse antwoorden per deelnemer onder export-schuilnamen,
                            dezelfde als in de export van het dashboard; vraagt de
                            schuilnaamsleutel van serve (PSEUDONYM_KEY, PSEUDONYM_KEY_FILE
                            of DATA_DIR/pseudonym.key)
  --publicatie              met --raw: geschikt om te publiceren (geen id's, geen open
                            teksten, kleine groepen onderdrukt)
  --picks                   met --raw: alleen de keuzes van wie van de drie, een regel per
                            drietal (question_id,respondent,winner,loser_1,loser_2), om
                            opnieuw te berekenen met participatiebot score of in R
  --intern                  exacte cijfers voor u als organisator, ook van een open ronde
                            of een ronde met te weinig deelnemers; niet delen
` + helpOption,
	"decide": `Gebruik: participatiebot decide RONDE --text BESTAND

Slaat het besluit van een ronde op ("De raad besloot …"). Een draaiende serve stuurt het
daarna één keer naar iedere deelnemer (terugkoppeling).

Opties:
  --text BESTAND            bestand met de tekst van het besluit (UTF-8)
` + helpOption,
	"score": `Gebruik: participatiebot score KEUZES.csv [--vraag ID] [--format text|json]

Berekent wie van de drie opnieuw uit losse keuzes, precies zoals de uitslag het doet:
per optie de kans om gekozen te worden uit drie met de onzekerheid (90%), de plaats, hoe
vaak ze gekozen en getoond is, en het gewicht θ van het model (Plackett–Luce, top-1).
Voor onderzoekers die een open-data-publicatie opnieuw willen analyseren.

Het bestand komt van participatiebot results RONDE --raw --picks, of is een CSV met de
kolommen winner, loser_1 en loser_2 (en eventueel question_id), of drie kolommen zonder
kopregel: gekozen,niet gekozen,niet gekozen. Puntkomma mag ook. - leest standaardinvoer.
Er is geen Redis of instelling voor nodig.

Opties:
  --vraag ID                alleen de keuzes van deze vraag (question_id)
  --format text|json        tekst (standaard) of JSON, met alle getallen onafgerond
`,
	"digest": `Gebruik: participatiebot digest [--maand JJJJ-MM] [--out MAP]

Schrijft het stuurgroep-overzicht van een maand als Markdown en HTML en toont het
chatbericht: hetzelfde overzicht dat de planner op DIGEST_CRON verstuurt.

Opties:
  --maand JJJJ-MM           de maand, bijvoorbeeld 2026-11 (standaard de vorige maand)
  --out MAP                 map voor het verslag (standaard de huidige map)
` + helpOption,
	"verslag": `Gebruik: participatiebot verslag TRAJECT [--out MAP]

Schrijft het participatieverslag van een traject (NAAM.traject.yaml in SURVEYS_DIR)
als Markdown, HTML en PDF: participatieverslag-TRAJECT.md, .html en .pdf. Het
verslag zegt wat inwoners aan het begin beloofd is, per fase wie meededen (respons,
afspiegeling, R-indicator, de loting naast wie zich zelf meldde), wat ze zeiden, hoe
ze het proces vonden, wat er met hun inbreng is gedaan, of elke terugkoppeling op
tijd kwam, en hoe er geloot is. Groepen met minder dan THRESHOLD deelnemers staan er
nooit in.

Opties:
  --out MAP                 map voor het verslag (standaard de huidige map)
` + helpOption,
	"loting": `Gebruik: participatiebot loting TRAJECT --steekproef BRP.csv --aantal N --brieven brieven.pdf
         [--strata kern,leeftijd] [--seed S] [--verloopt JJJJ-MM-DD] [--verantwoording BESTAND]

Loot een inwonerspanel voor een traject (*.traject.yaml in SURVEYS_DIR): N adressen uit
het bevolkingsbestand, naar rato verdeeld over de kernen en leeftijdsgroepen, elk met een
brief met een persoonlijke code om mee te doen via Telegram, de webchat of WhatsApp.
De bot bewaart per code alleen een sleutelwaarde met de kern en leeftijdsgroep, nooit
het adres; de brieven (PDF, per 10.000 een deel) zijn de enige plek van de adressen.
Verwijder na het printen het bevolkingsbestand en de PDF.

Met dezelfde seed en hetzelfde bestand is de loting na te doen; een loting die al
opgeslagen is, wordt geweigerd. Gebruikt REDIS_URL (of de opslag van serve) en de
schuilnaamsleutel van serve.

Opties:
  --steekproef BESTAND      het bevolkingsbestand: CSV met alleen de kolommen adres, kern
                            en leeftijd
  --aantal N                hoeveel adressen geloot worden
  --strata LIJST            kern, leeftijd of kern,leeftijd (standaard kern,leeftijd)
  --seed S                  het startgetal van de loting (standaard een willekeurig getal,
                            dat getoond wordt)
  --verloopt JJJJ-MM-DD     laatste dag dat de codes werken (standaard de laatste dag van
                            het traject)
  --brieven BESTAND.pdf     de PDF met de brieven; boven 10.000 brieven BESTAND-1.pdf,
                            BESTAND-2.pdf, …
  --verantwoording BESTAND  schrijf de verantwoording (Markdown) naar dit bestand in
                            plaats van naar het scherm
` + helpOption,
	"trend": `Gebruik: participatiebot trend VRAGENLIJST [--format text|json|csv|png] [--out MAP]

Toont voor een vragenlijst die vaker loopt (zoals de burgerpeiling) per vraag het
cijfer van elke ronde met zijn 95%-marge, gewogen waar de ronde gewogen is, en of het
tussen twee rondes gestegen, gedaald of gelijk gebleven is: gestegen of gedaald alleen
als het verschil groter is dan het toeval verklaart (toets op 5%). Een ronde die de
vraag anders stelde (andere tekst of antwoorden), telt voor die vraag niet mee.

Met --format png komt er per cijfer een lijngrafiek in MAP (trend-VRAGENLIJST-VRAAG.png):
elke ronde met zijn marge, een verandering groter dan het toeval doorgetrokken, een
gelijk gebleven stap gestreept, het doel van een indicator en een vergelijkingscijfer als
lijn; bij elk bestand staat de alt-tekst.

Opties:
  --format text|json|csv|png  tekst (standaard), JSON, CSV voor Excel in het Nederlands,
                              of grafieken (PNG)
  --out MAP                   de map voor de grafieken, bij --format png
` + helpOption,
	"outbox": `Gebruik:
  participatiebot outbox dead [-n AANTAL] [--kanaal KANAAL]
                                             toon de berichten die de bot heeft opgegeven
  participatiebot outbox retry ID… | --all [--kanaal KANAAL]
                                             zet opgegeven berichten terug in de wachtrij

Gebruikt REDIS_URL, of de opslag van een draaiende serve in DATA_DIR.

Opties:
` + helpOption,
	"outbox dead": `Gebruik: participatiebot outbox dead [-n AANTAL] [--kanaal KANAAL]

Toont de uitgaande berichten die de bot heeft opgegeven, nieuwste eerst: omdat de
ontvanger onbereikbaar is (bot geblokkeerd), omdat het platform het bericht weigerde,
of na 8 mislukte pogingen. Per bericht: id, kanaal, tijd, pogingen, soort bericht, ronde,
het begin van de schuilnaam van de ontvanger en de reden. Chat-id's en de tekst van het
bericht worden niet getoond. Opgegeven berichten worden 30 dagen bewaard, per kanaal
hoogstens 10.000.

Opties:
  -n AANTAL                 hoeveel berichten per kanaal (standaard 50)
  --kanaal KANAAL           alleen dit kanaal (telegram, discord, web)
` + helpOption,
	"outbox retry": `Gebruik: participatiebot outbox retry ID… | --all [--kanaal KANAAL]

Zet opgegeven berichten terug in de wachtrij, bijvoorbeeld nadat een storing bij het
platform voorbij is. Een draaiende serve verstuurt ze binnen een seconde, binnen de
limieten van het platform. ID is zoals outbox dead het toont, bijvoorbeeld telegram:42.
Een uitnodiging of vraag die niet meer klopt (ronde gesloten, al beantwoord) gaat
alsnog niet uit.

Opties:
  --all                     alle opgegeven berichten (met --kanaal: van dat kanaal)
  --kanaal KANAAL           met --all: alleen dit kanaal
` + helpOption,
	"inbound": `Gebruik: participatiebot inbound [-n AANTAL]

Toont de inkomende berichten (knoppen, commando's, teksten) die de bot niet kon
verwerken en daarom apart heeft gezet, nieuwste eerst: na 5 mislukte pogingen, of meteen
als de verwerking vastliep. Zo houdt één kapot bericht de andere inwoners nooit op.
Getypte teksten en platform-id's worden niet bewaard, alleen het commando of de
knopdata en de reden.

Opties:
  -n AANTAL                 hoeveel berichten (standaard 50)
` + helpOption,
}

// help serves `participatiebot help [COMMANDO]`.
func help(args []string, stdout io.Writer) error {
	pos, err := parseArgs(flag.NewFlagSet("help", flag.ContinueOnError), "help", args, stdout)
	if err != nil {
		return err
	}
	topic := strings.Join(pos, " ")
	text, ok := helpTexts[topic]
	if !ok {
		return usagef("help", "onbekend commando %q", topic)
	}
	fmt.Fprint(stdout, text)
	return nil
}

// exitCode reports err of command cmd as run's exit code: 0 for none or after help,
// 2 for a command line that does not fit (with the command's help), 1 otherwise. A
// userError shows its Dutch text alone; anything else follows "participatiebot cmd:".
func exitCode(cmd string, err error, stderr io.Writer) int {
	var ue *usageError
	var te *userError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "participatiebot %s: %s\n\n%s", cmd, ue.msg, helpTexts[ue.topic])
		return 2
	case errors.As(err, &te):
		fmt.Fprintln(stderr, te.text)
		return 1
	}
	fmt.Fprintf(stderr, "participatiebot %s: %v\n", cmd, err)
	return 1
}
