package bot

import (
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
)

// Dutch texts shown to residents. Kept together so they can be read and reviewed as one.
const (
	// txtWelcome has the municipality's name (GEMEENTE) for %s.
	txtWelcome = "Welkom bij de participatiebot van %s! 👋\n\n" +
		"Via deze chat denkt u mee over plannen voor uw woonplaats: korte vragenrondes, " +
		"waarbij u altijd hoort waarom we het vragen, wie er beslist en wat er met uw antwoorden gebeurt.\n\n" +
		"Eerst een vraag: hoe oud bent u?"
	// txtUnder16 speaks to a child: je, not u. %s is the municipality.
	txtUnder16 = "Leuk dat je wilt meedoen! Omdat je jonger bent dan 16 jaar, mag je volgens de privacywet (AVG) " +
		"alleen meedoen als je ouder of voogd toestemming geeft. Daarom bewaren we niets van je.\n\n" +
		"Wil je toch meedoen? Vraag dan je ouder of voogd om contact op te nemen met %s. " +
		"Met /start kun je later opnieuw beginnen."
	txtConsent = "Voordat u meedoet: zo gaan we met uw gegevens om.\n\n" +
		"• We bewaren uw antwoorden onder een schuilnaam, niet onder uw naam, telefoonnummer of chatadres.\n" +
		"• Uitkomsten delen we als totalen en per woonkern of leeftijdsgroep. Een groep van minder dan %d personen " +
		"tonen we nooit: niet als aantal, niet als percentage, en niet zo dat hij uit andere cijfers terug te rekenen is. " +
		"Doen er aan een ronde minder dan %[1]d mensen mee, dan krijgen deelnemers en stuurgroep geen cijfers; alleen " +
		"de organisatoren van de gemeente zien dan de aantallen, met de waarschuwing dat ze die niet mogen delen.\n" +
		"• Wat u bij een open vraag typt, lezen de organisatoren zonder uw naam; het kan zonder naam in het verslag " +
		"van de uitslag staan, maar niet in uw eigen uitslag of die van anderen.\n" +
		"• Uw woonkern en leeftijdsgroep gebruiken we om te zien of alle inwoners goed vertegenwoordigd zijn, om de " +
		"uitslag naar de bevolking te wegen en voor uitkomsten per groep, steeds volgens de regel hierboven.\n" +
		"• U kunt altijd stoppen met /stop: dan sturen we u niets meer en koppelen we uw antwoorden los van u. " +
		"Met /vergeetmij wissen we alles.\n\n" +
		"Gaat u akkoord? (privacytekst versie %s)"
	txtConsentNo       = "Helemaal goed, we slaan niets van u op. Wilt u later toch meedoen? Stuur dan /start."
	txtConsentNoJoined = "U doet al mee. Wilt u stoppen? Stuur dan /stop."
	txtKern            = "Bedankt, u doet mee! ✅\n\nIn welke kern woont u? Dat helpt ons te zien of alle kernen meepraten. (Niet verplicht.)"
	txtReady           = "Bedankt! U krijgt een bericht zodra er een vragenronde voor u klaarstaat.\n\nTyp /help voor uitleg."
	txtResume          = "U gaat verder waar u was gebleven."
	txtReadyOpen       = "Bedankt! Er staat nu een vragenronde voor u klaar:"
	txtHelp            = "Zo werkt de participatiebot:\n\n" +
		"De gemeente stelt u af en toe een paar korte vragen. Bij elke ronde leest u waarom we het vragen, " +
		"wie er beslist en wanneer u hoort wat er met de uitkomst is gedaan. U antwoordt met één tik op een knop, " +
		"of u typt het antwoord (bijvoorbeeld ‘8’ of ‘mee eens’); bij open vragen typt u uw antwoord. " +
		"Aan het eind ziet u al uw antwoorden, en tot de ronde sluit kunt u elk antwoord wijzigen.\n\n" +
		"U kunt ook een woord typen: hulp, status, stop.\n\n" +
		"/start – meedoen of verder gaan\n" +
		"/status – uw gegevens en de open rondes\n" +
		"/stop – afmelden en toestemming intrekken\n" +
		"/mijngegevens – zien wat we van u bewaren\n" +
		"/vergeetmij – alles laten wissen wat we van u hebben\n" +
		"/help – deze uitleg"
	txtStopAsk = "Wilt u zich afmelden? Dan:\n" +
		"• sturen we u geen berichten meer;\n" +
		"• wissen we uw woonkern, leeftijdsgroep en chatadres, en in de webchat dit gesprek en uw persoonlijke links;\n" +
		"• halen we uw schuilnaam weg bij de antwoorden die u al gaf: ze tellen anoniem mee in de uitslag, " +
		"maar niemand kan ze nog aan u koppelen.\n\n" +
		"We bewaren alleen dat u toestemming gaf en weer introk (dat moeten we kunnen aantonen), hooguit twee jaar.\n\n" +
		"Wilt u dat we ook uw antwoorden uit open rondes halen en alles wissen? Stuur dan /vergeetmij."
	txtStopped = "U bent afgemeld en uw toestemming is ingetrokken. We sturen u geen berichten meer, " +
		"en uw antwoorden zijn niet meer aan u gekoppeld. Met /start kunt u altijd opnieuw meedoen."
	txtStopKept    = "Fijn, u blijft aangemeld."
	txtNotJoined   = "U doet nog niet mee. Stuur /start om mee te doen."
	txtUnknownCmd  = "Dat commando ken ik niet. Typ /help voor uitleg."
	txtUseButtons  = "Gebruik de knoppen bij de vraag om te antwoorden, of typ /status om te zien welke rondes open staan."
	txtRoundClosed = "Deze ronde is gesloten; antwoorden kan niet meer. U hoort de uitkomst via deze chat."
	txtStale       = "Deze knop hoort bij een eerdere vraag. Ga verder bij de laatste vraag hierboven, of typ /status."
	txtNoRounds    = "Er staat op dit moment geen vragenronde open."
	txtForgetAsk   = "Wilt u dat we alles wissen wat we van u hebben? Dat is:\n" +
		"• uw profiel (woonkern, leeftijdsgroep), uw toestemmingen en uw chatadres;\n" +
		"• al uw antwoorden en getypte teksten, in elke ronde;\n" +
		"• in de webchat dit gesprek en uw persoonlijke links;\n" +
		"• berichten die nog voor u klaarstonden.\n\n" +
		"In rondes die nog open zijn tellen uw antwoorden daarna niet meer mee. Van gesloten rondes blijven " +
		"alleen de totalen staan die al gepubliceerd zijn; die zijn anoniem en zeggen niets over u.\n\n" +
		"Wissen kan niet ongedaan worden gemaakt."
	txtForgotten     = "Alles wat we van u hadden is gewist. We sturen u niets meer; dit is ons laatste bericht. Wilt u later weer meedoen? Stuur dan /start."
	txtForgetKept    = "Goed, we wissen niets."
	txtNothingStored = "We hebben niets van u opgeslagen: wie nooit toestemming gaf, of alles liet wissen, staat nergens bij ons."
	txtAggregateOnly = "Alleen in totalen: elk antwoord telt ook mee in de totalen van zijn ronde (aantallen per antwoord, " +
		"per woonkern en per leeftijdsgroep). Die totalen bevatten geen schuilnaam en zeggen niets over één persoon. " +
		"Rondes waarvan de bewaartermijn voorbij is, bewaren we alleen nog als totalen; daar staan uw antwoorden dus niet meer hierboven."
	txtSetAside = "Sorry, dat lukte niet: er ging bij ons iets mis met dit bericht. We hebben het apart gezet zodat we het kunnen bekijken. " +
		"Probeer het gerust opnieuw, of typ /status om verder te gaan."
)

var leeftijden = surveys.Leeftijdsgroepen

const ageUnknown = 9 // "16 of ouder, zeg ik liever niet"

const ageUnknownLabel = "16 of ouder, zeg ik liever niet"

var tredeUitleg = map[surveys.Trede]string{
	surveys.Informeren:   "informeren: we houden u op de hoogte",
	surveys.Raadplegen:   "raadplegen: u geeft uw mening, en wie beslist neemt die mee",
	surveys.Adviseren:    "adviseren: uw advies weegt zwaar; wie ervan afwijkt, legt uit waarom",
	surveys.Coproduceren: "coproduceren: we werken samen een oplossing uit",
	surveys.Meebeslissen: "meebeslissen: de uitkomst wordt in principe overgenomen",
}

// tredes are the steps of the participatieladder, lowest first.
var tredes = []surveys.Trede{surveys.Informeren, surveys.Raadplegen, surveys.Adviseren, surveys.Coproduceren, surveys.Meebeslissen}

// trede is the step as residents read it: "trede 2 van 5, raadplegen: u geeft …".
func trede(t surveys.Trede) string {
	for i, s := range tredes {
		if s == t {
			return fmt.Sprintf("trede %d van %d, %s", i+1, len(tredes), tredeUitleg[t])
		}
	}
	return string(t)
}

var wieBeslist = map[string]string{
	"gemeenteraad": "De gemeenteraad", "college": "Het college van burgemeester en wethouders",
	"burgemeester": "De burgemeester", "inwoners": "De inwoners zelf",
}

// moment formats a local time: "dinsdag 15 december om 17:00".
func moment(t time.Time) string {
	return fmt.Sprintf("%s %d %s om %02d:%02d", dutch.Weekday(t.Weekday()), t.Day(), dutch.Month(t.Month()), t.Hour(), t.Minute())
}

// card renders the participatiekaart for an invitation, under the trajectory and
// phase the round belongs to (phaseLine).
func (e *Engine) card(s *surveys.Survey, closes time.Time) string {
	beslist := wieBeslist[s.Card.WieBeslist]
	if beslist == "" {
		beslist = s.Card.WieBeslist
	}
	head := "📋 " + s.Title
	if line := e.phaseLine(s); line != "" {
		head += "\n" + line
	}
	return fmt.Sprintf("%s\n\n"+
		"Waarom vragen we dit? %s\n"+
		"Wie beslist? %s\n"+
		"Uw invloed: %s\n"+
		"Wat gebeurt er met uw antwoorden? %s\n"+
		"Terugkoppeling: uiterlijk %s hoort u wat er is besloten.\n\n"+
		"%d vragen · open tot %s",
		head, s.Card.Doel, beslist, trede(s.Card.Trede), s.Card.WatGebeurtErMee,
		dutch.Date(s.Card.Terugkoppeling), len(s.Questions), moment(closes))
}

// phaseLine names the trajectory and the phase of a survey's rounds ("🧭 Goed Goan:
// samen besturen in Dalfsen · fase 1 van 3: kiezen wat bij Dalfsen past"), for every
// message of such a round; "" for a survey outside every trajectory.
func (e *Engine) phaseLine(s *surveys.Survey) string {
	t, i, ok := e.catalog.TrajectoryOf(s.ID)
	if !ok {
		return ""
	}
	return "🧭 " + t.Title + " · " + t.PhaseLabel(i)
}

// withPhase puts the phase line of s above text, when the survey is in a trajectory.
func (e *Engine) withPhase(s *surveys.Survey, text string) string {
	if line := e.phaseLine(s); line != "" {
		return line + "\n\n" + text
	}
	return text
}
