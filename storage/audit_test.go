package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

func TestAuditLog(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		e := storage.AuditEntry{Time: at.Add(time.Duration(i) * time.Minute), Who: "anna", Action: fmt.Sprintf("actie %d", i)}
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"newest first", 2, []string{"actie 2", "actie 1"}},
		{"more than there are", 10, []string{"actie 2", "actie 1", "actie 0"}},
		{"none", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.AuditLog(ctx, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entries, want %d", len(got), len(tt.want))
			}
			for i, e := range got {
				if e.Action != tt.want[i] || e.Who != "anna" {
					t.Errorf("entry %d: got %v, want %s by anna", i, e, tt.want[i])
				}
			}
			if len(got) > 0 && !got[0].Time.Equal(at.Add(2*time.Minute)) {
				t.Errorf("time: got %v, want %v", got[0].Time, at.Add(2*time.Minute))
			}
		})
	}
}

// TestAuditLogNotCapped: the log has no count cap any more; 12,000 entries (more
// than the 10,000 of the old LIST) are all there.
func TestAuditLogNotCapped(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const n = 12000
	for i := range n {
		if err := st.Audit(ctx, storage.AuditEntry{Time: at, Who: "bert", Action: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.AuditLog(ctx, n+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("got %d entries, want %d", len(got), n)
	}
	for i, e := range got {
		if want := fmt.Sprint(n - 1 - i); e.Action != want {
			t.Fatalf("entry %d: got %v, want %v (one millisecond, newest first by id)", i, e.Action, want)
		}
	}
}

func TestAuditLogRetention(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	keep := 30 * 24 * time.Hour
	add := func(t time.Time, action string) {
		if err := st.AuditFor(ctx, storage.AuditEntry{Time: t, Who: "anna", Action: action}, keep); err != nil {
			panic(err)
		}
	}
	add(at, "oud")
	add(at.Add(keep), "precies de termijn")
	add(at.Add(keep+time.Millisecond), "nieuw")
	got, err := st.AuditLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"nieuw", "precies de termijn"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Action != want[i] {
			t.Errorf("entry %d: got %v, want %v", i, got[i].Action, want[i])
		}
	}
	// A log that was not written for a while is not trimmed yet: Since hides what is past the term.
	page, err := st.AuditPage(ctx, storage.AuditQuery{N: 10, Since: at.Add(keep + time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].Action != "nieuw" {
		t.Errorf("since: got %v, want only nieuw", page)
	}
}

// TestAuditPaging walks the log page by page, with many entries in one millisecond
// across page boundaries, and sees every entry exactly once, in order.
func TestAuditPaging(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const n = 50
	for i := range n {
		// five entries per millisecond
		e := storage.AuditEntry{Time: at.Add(time.Duration(i/5) * time.Millisecond), Who: "anna", Action: fmt.Sprint(i)}
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range []int{1, 3, 7, 50, 60} {
		t.Run(fmt.Sprint("page size ", size), func(t *testing.T) {
			var seen []string
			q := storage.AuditQuery{N: size}
			for range n + 1 {
				page, err := st.AuditPage(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				for _, e := range page {
					seen = append(seen, e.Action)
				}
				q.Before = storage.CursorOf(page[len(page)-1])
			}
			if len(seen) != n {
				t.Fatalf("got %d entries, want %d: %v", len(seen), n, seen)
			}
			for i, a := range seen {
				if want := fmt.Sprint(n - 1 - i); a != want {
					t.Fatalf("entry %d: got %v, want %v", i, a, want)
				}
			}
		})
	}
}

func TestParseAuditCursor(t *testing.T) {
	tests := []struct {
		in   string
		want storage.AuditCursor
		ok   bool
	}{
		{"1764579600000-42", storage.AuditCursor{Millis: 1764579600000, ID: 42}, true},
		{"0-1", storage.AuditCursor{Millis: 0, ID: 1}, true},
		{"", storage.AuditCursor{}, false},
		{"12", storage.AuditCursor{}, false},
		{"12-0", storage.AuditCursor{}, false},
		{"-1-2", storage.AuditCursor{}, false},
		{"+12-3", storage.AuditCursor{}, false},
		{"012-3", storage.AuditCursor{}, false},
		{"12-3-4", storage.AuditCursor{}, false},
		{"12-03", storage.AuditCursor{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := storage.ParseAuditCursor(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("got %v, %v, want %v, ok %v", got, err, tt.want, tt.ok)
			}
		})
	}
}

// TestMigrateAuditList moves the LIST of earlier versions into the log, dropping
// the failed logins, and deletes it.
func TestMigrateAuditList(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	// earlier versions LPUSHed JSON entries to pb:audit, newest first
	for i := range 250 {
		action := fmt.Sprint("actie ", i)
		if i%2 == 1 {
			action = "inloggen mislukt"
		}
		b, _ := json.Marshal(storage.AuditEntry{Time: at.Add(time.Duration(i) * time.Second), Who: "anna", Action: action})
		if err := rdb.LPush(ctx, "pb:audit", b).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Audit(ctx, storage.AuditEntry{Time: at.Add(time.Hour), Who: "bert", Action: "na de upgrade"}); err != nil {
		t.Fatal(err)
	}
	moved, err := st.MigrateAuditList(ctx, storage.DefaultAuditRetention)
	if err != nil {
		t.Fatal(err)
	}
	if moved != 125 {
		t.Errorf("moved: got %d, want 125", moved)
	}
	if n, _ := rdb.Exists(ctx, "pb:audit").Result(); n != 0 {
		t.Errorf("the old list still exists")
	}
	got, err := st.AuditLog(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 126 || got[0].Action != "na de upgrade" || got[1].Action != "actie 248" || got[125].Action != "actie 0" {
		t.Fatalf("got %d entries (%v … %v), want 126 from na de upgrade, actie 248 … actie 0", len(got), got[0], got[len(got)-1])
	}
	for _, e := range got {
		if e.Action == "inloggen mislukt" {
			t.Fatalf("a failed login was migrated: %v", e)
		}
	}
	if again, err := st.MigrateAuditList(ctx, storage.DefaultAuditRetention); err != nil || again != 0 {
		t.Errorf("second migration: got %d, %v, want 0, nil", again, err)
	}
}
