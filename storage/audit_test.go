package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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

func TestAuditLogTrimmed(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for i := range storage.AuditMax + 5 {
		if err := st.Audit(ctx, storage.AuditEntry{Who: "bert", Action: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.AuditLog(ctx, storage.AuditMax+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != storage.AuditMax {
		t.Errorf("got %d entries, want %d", len(got), storage.AuditMax)
	}
	if want := fmt.Sprint(storage.AuditMax + 4); got[0].Action != want {
		t.Errorf("newest: got %v, want %v", got[0].Action, want)
	}
}
