package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestPrivacyStatement(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Privacy = Privacy{Municipality: "Gemeente Dalfsen", Contact: "privacy@dalfsen.nl", Threshold: 10, Channels: []string{"Telegram"}}
	})
	rec := h.client().get("/privacy")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /privacy: got %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{"Gemeente Dalfsen is verantwoordelijk", "privacy@dalfsen.nl", "kleiner dan 10 personen",
		"Telegram (als u via Telegram meedoet", "/mijngegevens", "/vergeetmij", "Autoriteit Persoonsgegevens", "12 maanden"} {
		if !strings.Contains(body, want) {
			t.Errorf("privacy statement: no %q", want)
		}
	}
}

// TestRightsPagesWithoutChat: a visitor without a conversation is told nothing is
// stored, and cannot post an erasure.
func TestRightsPagesWithoutChat(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for _, path := range []string{"/mijngegevens", "/vergeetmij"} {
		rec := c.get(path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "niets van u opgeslagen") {
			t.Errorf("GET %s: got %d %q, want 200 saying nothing is stored", path, rec.Code, rec.Body.String())
		}
	}
	if rec := c.get("/mijngegevens.json"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /mijngegevens.json: got %d, want 404", rec.Code)
	}
	if rec := c.post("/vergeetmij", h.form("0123456789abcdef0123456789abcdef")); rec.Code == http.StatusOK {
		t.Errorf("POST /vergeetmij without a chat: got 200, want a refusal")
	}
}
