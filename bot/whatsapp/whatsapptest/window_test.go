package whatsapptest

import (
	"net/http"
	"testing"
	"time"
)

func TestCustomerServiceWindow(t *testing.T) {
	s := Start(t)
	c := newClock()
	s.SetNow(c.now)
	r := newReceiver(t)
	s.SetWebhook(r.ts.URL, "secret")

	a := send(t, s, resident, "text", text("Hoi"))
	assertGraphError(t, a, http.StatusBadRequest, CodeReEngagement)

	a = send(t, s, resident, "template", template("onbekend", nil))
	assertGraphError(t, a, http.StatusNotFound, CodeTemplateMissing)

	s.ApproveTemplate("uitnodiging", "nl", 2, 1)
	if a = send(t, s, resident, "template", template("uitnodiging", []string{"Noord", "vrijdag"}, "doe-mee")); a.code() != 0 {
		t.Fatalf("approved template: got %+v, want accepted", a.Error)
	}
	a = send(t, s, resident, "template", template("uitnodiging", []string{"Noord"}))
	assertGraphError(t, a, http.StatusBadRequest, CodeTemplateParams)

	// a template does not open the window
	a = send(t, s, resident, "interactive", buttons("Doe je mee?", [2]string{"y", "Ja"}))
	assertGraphError(t, a, http.StatusBadRequest, CodeReEngagement)

	s.SendText(resident, "Ja hoor")
	if a = send(t, s, resident, "interactive", buttons("Doe je mee?", [2]string{"y", "Ja"})); a.code() != 0 {
		t.Fatalf("after an inbound message: got %+v, want accepted", a.Error)
	}
	c.advance(24*time.Hour - time.Second)
	if a = send(t, s, resident, "text", text("Nog even")); a.code() != 0 {
		t.Fatalf("just inside 24h: got %+v, want accepted", a.Error)
	}
	c.advance(time.Second)
	assertGraphError(t, send(t, s, resident, "text", text("Te laat")), http.StatusBadRequest, CodeReEngagement)
	if s.WindowOpen(resident) {
		t.Fatal("got window open after 24h, want closed")
	}
}
