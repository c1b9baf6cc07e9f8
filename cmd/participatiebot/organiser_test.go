package main

import (
	"strings"
	"testing"
)

func TestOrganiserCommandsInChat(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.env["ORGANISERS"] = "telegram:900"
	h.serve()
	org, other := h.resident(900), h.resident(901)

	other.h.tg.SendText(other.uid, "/open e2e")
	if _, err := other.await("Dat commando ken ik niet"); err != nil {
		t.Fatal(err)
	}
	h.tg.SendText(org.uid, "/open e2e")
	m, err := org.await("is open tot")
	if err != nil {
		t.Fatal(err)
	}
	rid := strings.Fields(m.Text)[1]
	h.tg.SendText(org.uid, "/rondes")
	if _, err := org.await(rid + " – open, 0 deelnemers"); err != nil {
		t.Fatal(err)
	}
	h.tg.SendText(org.uid, "/sluit "+rid)
	if _, err := org.await("is gesloten"); err != nil {
		t.Fatal(err)
	}
	h.tg.SendText(org.uid, "/uitslag "+rid)
	if _, err := org.await("Proef IMPOR"); err != nil {
		t.Fatal(err)
	}
	h.tg.SendText(org.uid, "/sluit "+rid)
	if _, err := org.await("Sluiten lukt niet: ronde " + rid + " is niet open"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.cli("rounds", "list"), rid) {
		t.Errorf("rounds list does not show %s", rid)
	}
}
