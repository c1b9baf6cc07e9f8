package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// After a crash between a participant's record and the active set (different
// slots on a cluster), RepairActive brings the set in line with the records, and a
// second repair finds nothing to do. (With PB_TEST_CLUSTER this runs on a cluster,
// where the records are spread over the masters.)
func TestRepairActive(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	rdb := st.Client()
	for i := 1; i <= 7; i++ {
		if err := st.SaveConsent(ctx, &storage.Participant{ID: fmt.Sprint("p", i), Channel: "telegram", ChatID: fmt.Sprint("c", i),
			ConsentVersion: "v1", ConsentAt: time.Unix(1, 0), Kern: "Dalfsen"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Withdraw(ctx, "p2", time.Unix(2, 0)); err != nil {
		t.Fatal(err)
	}
	rdb.SRem(ctx, "pb:participants", "p6")  // consented; the SADD did not happen
	rdb.HSet(ctx, "pb:p:p7", "active", "0") // blocked the bot; the SREM did not happen
	rdb.SAdd(ctx, "pb:participants", "p8")  // no record at all (erased)
	rdb.HSet(ctx, "pb:p:p9", "active", "1") // active but never consented
	added, removed, err := st.RepairActive(ctx)
	if err != nil || added != 1 || removed != 2 {
		t.Errorf("repair: got %d added, %d removed, %v; want 1 (p6) and 2 (p7, p8)", added, removed, err)
	}
	members := rdb.SMembers(ctx, "pb:participants").Val()
	slices.Sort(members)
	if want := []string{"p1", "p3", "p4", "p5", "p6"}; !slices.Equal(members, want) {
		t.Errorf("active set: got %v, want %v", members, want)
	}
	if added, removed, err := st.RepairActive(ctx); err != nil || added != 0 || removed != 0 {
		t.Errorf("second repair: got %d added, %d removed, %v; want nothing", added, removed, err)
	}
}
