package web

// Texts shown to residents: Dutch, in the "u" form, saying what to do next.
const (
	txtNotFound    = "Deze pagina bestaat niet. Ga naar het gesprek om verder te gaan."
	txtCrossSite   = "Dit bericht is niet verstuurd, omdat het niet van deze website kwam. Ga terug naar het gesprek en verstuur het daar opnieuw."
	txtCSRF        = "Dit bericht is niet verstuurd, omdat wij niet konden controleren dat het van u kwam. Misschien is uw sessie verlopen of zijn uw cookies gewist. Ga terug naar het gesprek en probeer het opnieuw."
	txtNoSession   = "Wij konden uw gesprek niet vinden. Ga terug naar het gesprek en probeer het opnieuw."
	txtTooLarge    = "Uw bericht is te lang. Het mag hoogstens 4000 tekens zijn. Maak het wat korter en probeer het opnieuw."
	txtBadForm     = "Dit formulier was niet compleet. Ga terug naar het gesprek en probeer het opnieuw."
	txtUnavailable = "Het gesprek is even niet beschikbaar. Probeer het over een paar minuten opnieuw."
	txtBadLink     = "Deze persoonlijke link is ongeldig. Controleer of u de hele link heeft gekopieerd, of begin een nieuw gesprek."
	txtSwitchLink  = "U opent een andere persoonlijke link dan die van het gesprek op dit apparaat. Wilt u verdergaan met het gesprek van die link? Wilt u later terug naar het gesprek op dit apparaat? Bewaar dan eerst de persoonlijke link die onder dat gesprek staat."
	txtYourLink    = "Met deze link gaat u verder met uw gesprek."
)
