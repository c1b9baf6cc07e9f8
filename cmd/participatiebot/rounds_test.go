package main

import (
	"context"
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
