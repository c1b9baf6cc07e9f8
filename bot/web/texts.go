package web

// Texts shown to residents: Dutch, in the "u" form, saying what to do next.
const (
	txtBegin       = "Beginnen" // the welcome's button (transcript.html)
	txtNotFound    = "Deze pagina bestaat niet. Ga naar het gesprek om verder te gaan."
	txtCrossSite   = "Dit bericht is niet verstuurd, omdat het niet van deze website kwam. Ga terug naar het gesprek en verstuur het daar opnieuw."
	txtCSRF        = "Dit bericht is niet verstuurd, omdat wij niet konden controleren dat het van u kwam. Misschien is uw sessie verlopen of zijn uw cookies gewist. Ga terug naar het gesprek en probeer het opnieuw."
	txtNoSession   = "Wij konden uw gesprek niet vinden. Ga terug naar het gesprek en probeer het opnieuw."
	txtTooLarge    = "Uw bericht is te lang. Het mag hoogstens 4000 tekens zijn. Maak het wat korter en probeer het opnieuw."
	txtBadForm     = "Dit formulier was niet compleet. Ga terug naar het gesprek en probeer het opnieuw."
	txtUnavailable = "Het gesprek is even niet beschikbaar. Probeer het over een paar minuten opnieuw."
	txtBadLink     = "Deze persoonlijke link is ongeldig. Controleer of u de hele link heeft gekopieerd, of begin een nieuw gesprek."
	txtYourLink    = "Met deze link gaat u verder met uw gesprek."
	txtLinkExpired = "Deze persoonlijke link is verlopen. Open het gesprek op het apparaat waar u het begon: daar staat onder het gesprek een nieuwe link. Of begin een nieuw gesprek."
	txtLinkGone    = "Het gesprek van deze persoonlijke link bestaat niet meer: het is gestopt, gewist of verlopen. U kunt een nieuw gesprek beginnen."
	txtOpenLink    = "Dit is een persoonlijke link naar een gesprek met deze chat. Wie de link heeft, kan dat gesprek lezen en voortzetten. Open hem alleen als het uw eigen link is. Wilt u dit gesprek openen?"
	// txtOpenLinkOver follows txtOpenLink when the browser has a conversation of its own.
	txtOpenLinkOver = "Het gesprek dat nu op dit apparaat open is, wordt dan gesloten. Wilt u daar later naar terug? Bewaar dan eerst de persoonlijke link die onder dat gesprek staat."
	// txtOpenLinkCrossSite precedes txtOpenLink when another website sent the browser here.
	txtOpenLinkCrossSite = "U kwam via een andere website bij deze link."
	txtChatGone          = "Uw gesprek is beëindigd en van deze website gewist. U kunt altijd een nieuw gesprek beginnen."
	// txtWithheld stands in the transcript for what a resident typed before taking part.
	txtWithheld = "(bericht niet bewaard: u doet nog niet mee)"
	// txtWithheldNote is shown once under such a message, with its text.
	txtWithheldNote = "Dit bericht bewaren wij niet, omdat u nog niet meedoet. Na het herladen van de pagina ziet u het niet meer."
)

// Texts of the data rights pages.
const (
	txtNothingStored = "Wij hebben niets van u opgeslagen in deze webchat: er is op dit apparaat geen gesprek met ons."
	txtForgotten     = "Alles wat wij van u hadden is gewist: uw profiel, uw toestemmingen, uw antwoorden in elke ronde en dit gesprek. " +
		"In rondes die nog open zijn tellen uw antwoorden niet meer mee. U kunt altijd opnieuw beginnen."
)
