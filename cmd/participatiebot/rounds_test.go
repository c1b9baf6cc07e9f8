package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// TestRoundsListArchive: `rounds list` shows the rounds within their bewaartermijn;
// a round purged at its end shows only with --archief, with the counts it kept.
func TestRoundsListArchive(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	st := storage.New(h.redis.Client(t))
	opens := time.Now().Add(-time.Hour)
	for _, rid := range []string{"e2e-20250101-0900", "e2e-20990101-0900"} {
		if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "e2e", Slot: "x", OpensAt: opens, ClosesAt: opens.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	const old = "e2e-20250101-0900"
	if err := st.AddInvited(ctx, old, 7); err != nil {
		t.Fatal(err)
	}
	if err := st.PurgeRound(ctx, old, nil, opens); err != nil {
		t.Fatal(err)
	}
	if err := st.RetireRound(ctx, old); err != nil {
		t.Fatal(err)
	}
	live := h.cli("rounds", "list")
	if strings.Contains(live, old) || !strings.Contains(live, "e2e-20990101-0900") {
		t.Errorf("rounds list: got\n%s\nwant the live round and not %s", live, old)
	}
	all := h.cli("rounds", "list", "--archief")
	if !strings.Contains(all, "e2e-20990101-0900") || !strings.Contains(all, old) {
		t.Errorf("rounds list --archief: got\n%s\nwant both rounds", all)
	}
	for _, line := range strings.Split(all, "\n") {
		if strings.HasPrefix(line, old) && !strings.Contains(line, " 7 ") {
			t.Errorf("archived round: got %q, want its 7 invited kept", line)
		}
	}
}

// TestCLIErrorsDutch: what goes wrong in an organiser command is one Dutch line that
// says what to do, not the error of the store.
func TestCLIErrorsDutch(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	st := storage.New(h.redis.Client(t))
	opens := time.Now().Add(-2 * time.Hour)
	const closed = "e2e-20250101-0900"
	if _, err := st.CreateRound(ctx, &storage.Round{ID: closed, Survey: "e2e", Slot: "x", OpensAt: opens, ClosesAt: opens.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	besluit := filepath.Join(t.TempDir(), "besluit.txt")
	if err := os.WriteFile(besluit, []byte("De raad besloot."), 0o600); err != nil {
		t.Fatal(err)
	}
	notFound := "Ronde \"bestaatniet\" bestaat niet. Zie \"participatiebot rounds list\" voor de rondes.\n"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"close an unknown round", []string{"rounds", "close", "bestaatniet"}, notFound},
		{"decide an unknown round", []string{"decide", "bestaatniet", "--text", besluit}, notFound},
		{"close a round that is not open", []string{"rounds", "close", closed},
			"Ronde \"" + closed + "\" is niet open (gepland): alleen een open ronde kan gesloten worden.\n"},
		{"open an unknown survey", []string{"rounds", "open", "bestaatniet"}, "Vragenlijst \"bestaatniet\" bestaat niet. De vragenlijsten zijn: e2e.\n"},
		{"decision file missing", []string{"decide", closed, "--text", besluit + ".weg"},
			"Kan het besluit in " + besluit + ".weg niet lezen: dit bestand bestaat niet.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.cliFails(h.env, tc.args...); got != tc.want {
				t.Errorf("stderr: got %q, want %q", got, tc.want)
			}
		})
	}

	// a survey with a problem: every problem with its tip, as validate shows them
	if err := os.WriteFile(filepath.Join(h.env["SURVEYS_DIR"], "kapot.yaml"), []byte("id: kapot\ntitle: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := h.cliFails(h.env, "rounds", "open", "e2e")
	if !strings.HasPrefix(got, "De vragenlijsten kloppen niet (3 problemen); los dit eerst op:\n") ||
		!strings.Contains(got, "kapot.yaml:1:1: het veld participatiekaart ontbreekt\n  tip: Voeg het toe") {
		t.Errorf("stderr: got %q, want the problems of kapot.yaml with their tips", got)
	}
}
