package bot

import (
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// Dutch texts shown to residents. Kept together so they can be read and reviewed as one.
const (
	txtWelcome = "Welkom bij de participatiebot van de gemeente! 👋\n\n" +
		"Via deze chat kunt u meedenken over plannen van de gemeente: korte vragenrondes, " +
		"waarbij u altijd hoort waarom we het vragen, wie er beslist en wat er met uw antwoorden gebeurt.\n\n" +
		"Eerst een vraag: hoe oud bent u?"
	txtUnder16 = "Dank u wel voor uw interesse! Omdat u jonger bent dan 16 jaar, mag u volgens de wet " +
		"(AVG) alleen meedoen met toestemming van uw ouder of voogd. Daarom slaan we niets van u op.\n\n" +
		"Vraag uw ouder of voogd om contact op te nemen met de gemeente als u toch wilt meedoen. " +
		"Met /start kunt u later opnieuw beginnen."
	txtConsent = "Voordat u meedoet: zo gaan we met uw gegevens om.\n\n" +
		"• We bewaren uw antwoorden onder een schuilnaam, niet onder uw naam of telefoonnummer.\n" +
		"• Uitkomsten delen we alleen als totalen; groepen kleiner dan %d personen tonen we nooit.\n" +
		"• Uw woonkern en leeftijdsgroep gebruiken we alleen om te zien of alle inwoners goed vertegenwoordigd zijn.\n" +
		"• U kunt altijd stoppen met /stop; dan sturen we u niets meer en wissen we uw profiel.\n\n" +
		"Gaat u akkoord? (privacytekst versie %s)"
	txtConsentNo       = "Helemaal goed, we slaan niets van u op. Wilt u later toch meedoen? Stuur dan /start."
	txtConsentNoJoined = "U doet al mee. Wilt u stoppen? Stuur dan /stop."
	txtKern            = "Bedankt, u doet mee! ✅\n\nIn welke kern woont u? Dat helpt ons te zien of alle kernen meepraten. (Niet verplicht.)"
	txtReady           = "Bedankt! U krijgt een bericht zodra er een vragenronde voor u klaarstaat.\n\nTyp /help voor uitleg."
	txtResume          = "U gaat verder waar u was gebleven."
	txtReadyOpen       = "Bedankt! Er staat nu een vragenronde voor u klaar:"
	txtHelp            = "Zo werkt de participatiebot:\n\n" +
		"De gemeente stelt u af en toe een paar korte vragen. Bij elke ronde leest u waarom we het vragen, " +
		"wie er beslist en wanneer u hoort wat er met de uitkomst is gedaan. U antwoordt met één tik op een knop; " +
		"bij open vragen typt u uw antwoord. Tot de ronde sluit kunt u uw antwoorden wijzigen.\n\n" +
		"/start – meedoen of verder gaan\n" +
		"/status – uw gegevens en de open rondes\n" +
		"/stop – afmelden en toestemming intrekken\n" +
		"/help – deze uitleg"
	txtStopAsk     = "Wilt u zich afmelden? Dan sturen we u geen berichten meer en wissen we uw woonkern en leeftijdsgroep. Antwoorden die u al gaf blijven meetellen in de uitslag van die rondes (onder uw schuilnaam, zonder naam of nummer)."
	txtStopped     = "U bent afgemeld en uw toestemming is ingetrokken. We sturen u geen berichten meer. Met /start kunt u altijd weer meedoen."
	txtStopKept    = "Fijn, u blijft aangemeld."
	txtNotJoined   = "U doet nog niet mee. Stuur /start om mee te doen."
	txtUnknownCmd  = "Dat commando ken ik niet. Typ /help voor uitleg."
	txtUseButtons  = "Gebruik de knoppen bij de vraag om te antwoorden, of typ /status om te zien welke rondes open staan."
	txtRoundClosed = "Deze ronde is gesloten; antwoorden kan niet meer. U hoort de uitkomst via deze chat."
	txtStale       = "Deze knop hoort bij een eerdere vraag. Ga verder bij de laatste vraag hierboven, of typ /status."
	txtNoRounds    = "Er staat op dit moment geen vragenronde open."
)

var leeftijden = surveys.Leeftijdsgroepen

const ageUnknown = 9 // "16 of ouder, zeg ik liever niet"

var tredeUitleg = map[surveys.Trede]string{
	surveys.Informeren:   "informeren – we houden u op de hoogte",
	surveys.Raadplegen:   "raadplegen – u geeft uw mening; de beslisser neemt die mee",
	surveys.Adviseren:    "adviseren – uw advies weegt zwaar; afwijken wordt uitgelegd",
	surveys.Coproduceren: "coproduceren – we werken samen een oplossing uit",
	surveys.Meebeslissen: "meebeslissen – de uitkomst wordt in principe overgenomen",
}

var wieBeslist = map[string]string{
	"gemeenteraad": "de gemeenteraad", "college": "het college van B&W",
	"burgemeester": "de burgemeester", "inwoners": "de inwoners zelf",
}

var dagen = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// moment formats a local time: "dinsdag 15 december om 17:00".
func moment(t time.Time) string {
	return fmt.Sprintf("%s %d %s om %02d:%02d", dagen[t.Weekday()], t.Day(), surveys.Maand(t.Month()), t.Hour(), t.Minute())
}

// card renders the participatiekaart for an invitation.
func card(s *surveys.Survey, closes time.Time) string {
	beslist := wieBeslist[s.Card.WieBeslist]
	if beslist == "" {
		beslist = s.Card.WieBeslist
	}
	return fmt.Sprintf("📋 %s\n\n"+
		"Waarom vragen we dit? %s\n"+
		"Wie beslist? %s\n"+
		"Uw invloed: %s\n"+
		"Wat gebeurt er met uw antwoorden? %s\n"+
		"Terugkoppeling: uiterlijk %s hoort u wat er is besloten.\n\n"+
		"%d vragen · open tot %s",
		s.Title, s.Card.Doel, beslist, tredeUitleg[s.Card.Trede], s.Card.WatGebeurtErMee,
		surveys.DutchDate(s.Card.Terugkoppeling), len(s.Questions), moment(closes))
}
