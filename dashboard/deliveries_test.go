package dashboard

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestRoundPageShowsWhatsAppStatuses: the round page counts what Meta reported of the
// round's WhatsApp messages, each status once however often it came; a round
// without WhatsApp messages shows no table.
func TestRoundPageShowsWhatsAppStatuses(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); strings.Contains(page, "WhatsApp-berichten") {
		t.Fatal("a round without WhatsApp messages shows the WhatsApp table")
	}
	ctx := context.Background()
	for i, statuses := range [][]string{{"sent", "delivered", "read", "read"}, {"sent", "delivered"}, {"sent", "failed"}} {
		wamid := "wamid.test" + string(rune('a'+i))
		if err := h.store.MarkSent(ctx, wamid, rid, "uitslag"); err != nil {
			t.Fatal(err)
		}
		for _, st := range statuses {
			if err := h.store.RecordStatus(ctx, wamid, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	// a status of a message that was no round's counts nowhere
	if err := h.store.RecordStatus(ctx, "wamid.antwoord", "read"); err != nil {
		t.Fatal(err)
	}
	w := h.get("/dashboard/rounds/"+rid, c)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	page := w.Body.String()
	want := `<tr><th scope="row">Uitslag</th><td>3</td><td>2</td><td>1</td><td>1</td></tr>`
	if !strings.Contains(page, want) {
		i := strings.Index(page, "WhatsApp-berichten")
		t.Errorf("round page lacks %s; near the table:\n%s", want, page[max(0, i):min(len(page), i+900)])
	}
}
