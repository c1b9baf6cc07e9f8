package dashboard

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

func TestNextTransition(t *testing.T) {
	h := newHarness(t)
	sv, _ := h.catalog.Survey("peiling") // terugkoppeling 15 februari 2027
	opens := time.Date(2026, 12, 1, 9, 0, 0, 0, amsterdam)
	tests := []struct {
		name        string
		round       storage.Round
		now         time.Time
		want        string
		wantOverdue bool
	}{
		{"scheduled", storage.Round{State: storage.Scheduled, OpensAt: opens}, opens.Add(-time.Hour), "opent op 1 december 2026, 09:00", false},
		{"open", storage.Round{State: storage.Opened, ClosesAt: opens.Add(14 * 24 * time.Hour)}, opens, "sluit op 15 december 2026, 09:00", false},
		{"closed", storage.Round{State: storage.Closed}, opens, "uitslag wordt verstuurd", false},
		{"published", storage.Round{State: storage.Published}, opens, "besluit (terugkoppeling) verwacht op 15 februari 2027", false},
		{"published, decision overdue", storage.Round{State: storage.Published}, time.Date(2027, 2, 16, 9, 0, 0, 0, amsterdam),
			"besluit (terugkoppeling) te laat: beloofd voor 15 februari 2027", true},
		{"decided", storage.Round{State: storage.Decided, DecidedAt: time.Date(2027, 2, 10, 14, 30, 0, 0, amsterdam)}, opens,
			"afgerond: besluit teruggekoppeld op 10 februari 2027, 14:30", false},
		{"summer time", storage.Round{State: storage.Opened, ClosesAt: time.Date(2027, 6, 1, 7, 0, 0, 0, time.UTC)}, opens,
			"sluit op 1 juni 2027, 09:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.now = tt.now
			got, overdue := h.srv.nextTransition(&tt.round, sv)
			if got != tt.want || overdue != tt.wantOverdue {
				t.Errorf("got %q %v, want %q %v", got, overdue, tt.want, tt.wantOverdue)
			}
		})
	}
}

func TestDutchFormats(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"thousands", dutchInt(1234567), "1.234.567"},
		{"small", dutchInt(12), "12"},
		{"negative", dutchInt(-1234), "-1.234"},
		{"percent", dutchPercent(12.345), "12,3%"},
		{"whole percent", dutchPercent(50), "50%"},
		{"days", dutchDuration(14 * 24 * time.Hour), "14 dagen"},
		{"hours", dutchDuration(4 * time.Hour), "4 uur"},
		{"minutes", dutchDuration(90 * time.Minute), "90 minuten"},
		{"svg clamps", svgNumber(140), "100.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestPagesRender(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	// a round of a survey that is no longer loaded
	if _, err := h.store.CreateRound(t.Context(), &storage.Round{ID: "weg-20261101-0900", Survey: "weg",
		OpensAt: h.now.Add(-30 * 24 * time.Hour), ClosesAt: h.now.Add(-16 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	c := h.login("anna", "geheim")
	tests := []struct {
		name, path string
		setup      func()
		want       int
		wantBody   []string
	}{
		{"overview", "/dashboard/", nil, http.StatusOK, []string{"Proefpeiling", "Ronde openen", "sluit op 15 december 2026",
			"Volgende ronde volgens schema: 1 maart 2027, 09:00", `<html lang="nl">`}},
		{"round without population", "/dashboard/rounds/" + rid, func() { h.srv.cfg.Population = nil }, http.StatusOK,
			[]string{"Er zijn geen bevolkingscijfers per kern", "&lt;10"}},
		{"round of an unloaded survey", "/dashboard/rounds/weg-20261101-0900", nil, http.StatusOK, []string{"niet (meer) geladen"}},
		{"export of an unloaded survey", "/dashboard/rounds/weg-20261101-0900/export.csv", nil, http.StatusConflict, nil},
		{"unknown round", "/dashboard/rounds/bestaat-niet", nil, http.StatusNotFound, []string{"bestaat niet"}},
		{"unknown page", "/dashboard/bestaat-niet", nil, http.StatusNotFound, nil},
		{"audit log", "/dashboard/audit", nil, http.StatusOK, []string{"ingelogd", "anna"}},
		{"after an upload", "/dashboard/?gedaan=geladen&vragenlijst=peiling", nil, http.StatusOK, []string{"is geladen en meteen actief"}},
		{"no flash for an unknown survey", "/dashboard/?gedaan=geladen&vragenlijst=nep", nil, http.StatusOK, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				pop := h.srv.cfg.Population
				tt.setup()
				defer func() { h.srv.cfg.Population = pop }()
			}
			w := h.get(tt.path, c)
			if w.Code != tt.want {
				t.Fatalf("status: got %v, want %v", w.Code, tt.want)
			}
			for _, s := range tt.wantBody {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body does not contain %q", s)
				}
			}
			if strings.Contains(w.Body.String(), "nep") && strings.Contains(tt.path, "nep") {
				t.Errorf("a survey id from the query is shown")
			}
		})
	}
}

func TestHeadersAndStatic(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		path, wantType string
		wantStatus     int
	}{
		{"/dashboard/login", "text/html; charset=utf-8", http.StatusOK},
		{"/dashboard/static/dashboard.css", "text/css; charset=utf-8", http.StatusOK},
		{"/dashboard/static/dashboard.js", "text/javascript; charset=utf-8", http.StatusOK},
		{"/dashboard/static/bestaat-niet.js", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := h.get(tt.path, nil)
			if w.Code != tt.wantStatus {
				t.Fatalf("status: got %v, want %v", w.Code, tt.wantStatus)
			}
			if tt.wantType != "" && w.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("content type: got %v, want %v", w.Header().Get("Content-Type"), tt.wantType)
			}
			csp := w.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("csp: got %q", csp)
			}
			if w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("nosniff missing")
			}
		})
	}
}

func TestGroupRowNeverShowsSuppressedNumbers(t *testing.T) {
	h := newHarness(t)
	res := &results.Results{Threshold: 10, Respondents: 30}
	tests := []struct {
		name      string
		cell      results.Cell
		wantCount string
	}{
		{"suppressed", results.Cell{Group: "A", Suppressed: true}, "<10"},
		{"complementary", results.Cell{Group: "B", Suppressed: true, Complementary: true}, "≥10"},
		{"shown", results.Cell{Group: "C", Count: 1234}, "1.234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.srv.groupRow(tt.cell, res)
			if got.Count != tt.wantCount {
				t.Errorf("got %v, want %v", got.Count, tt.wantCount)
			}
			if tt.cell.Suppressed && (got.Share != "–" || got.SharePct != 0) {
				t.Errorf("share of a suppressed cell: got %v %v, want – 0", got.Share, got.SharePct)
			}
		})
	}
}
