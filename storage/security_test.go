package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

func TestFailedLoginsCounted(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	const day = "2026-12-01"
	// anna: 3 tries from 2 addresses; the unknown bucket: 2 from 1 address
	tries := []storage.FailedLogin{
		{Day: day, Name: "anna", Addr: "192.0.2.1"},
		{Day: day, Name: "anna", Addr: "192.0.2.1"},
		{Day: day, Name: "anna", Addr: "192.0.2.2"},
		{Day: day, Name: storage.UnknownName, Addr: "192.0.2.3"},
		{Day: day, Name: storage.UnknownName, Addr: "192.0.2.3"},
		{Day: "2026-11-30", Name: "anna", Addr: "192.0.2.9"},
	}
	for _, f := range tries {
		if err := st.RecordFailedLogin(ctx, f, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.FailedLogins(ctx, []string{day, "2026-11-30", "2026-11-29"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d days, want 3", len(got))
	}
	d := got[0]
	if d.Tries != 5 || len(d.Names) != 2 || len(d.Addrs) != 3 {
		t.Fatalf("day: got %+v, want 5 tries, 2 names, 3 addresses", d)
	}
	wantNames := []storage.NameTries{{Name: "anna", Tries: 3, Addrs: 2}, {Name: storage.UnknownName, Tries: 2, Addrs: 1}}
	for i, w := range wantNames {
		if d.Names[i] != w {
			t.Errorf("name %d: got %+v, want %+v", i, d.Names[i], w)
		}
	}
	if d.Addrs[0] != (storage.AddrTries{Addr: "192.0.2.1", Tries: 2}) {
		t.Errorf("first address: got %+v, want 192.0.2.1 with 2", d.Addrs[0])
	}
	if got[1].Tries != 1 || got[2].Tries != 0 || len(got[2].Names) != 0 {
		t.Errorf("other days: got %+v and %+v, want 1 and nothing", got[1], got[2])
	}
	ttl, err := rdb.TTL(ctx, "pb:{sec:"+day+"}:names").Result()
	if err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("ttl: got %v %v, want at most an hour", ttl, err)
	}
}

// TestFailedLoginsAddressCap: beyond SecurityMaxAddrs distinct addresses a day, the
// tries count under OtherAddrs; nothing is lost from the totals.
func TestFailedLoginsAddressCap(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	const day, extra = "2026-12-01", 30
	total := 0
	for i := range storage.SecurityMaxAddrs + extra {
		for range 2 {
			f := storage.FailedLogin{Day: day, Name: "anna", Addr: fmt.Sprintf("10.0.%d.%d", i/256, i%256)}
			if err := st.RecordFailedLogin(ctx, f, time.Hour); err != nil {
				t.Fatal(err)
			}
			total++
		}
	}
	// an address kept before the cap was reached still counts under itself
	if err := st.RecordFailedLogin(ctx, storage.FailedLogin{Day: day, Name: "bert", Addr: "10.0.0.0"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	total++
	got, err := st.FailedLogins(ctx, []string{day})
	if err != nil {
		t.Fatal(err)
	}
	d := got[0]
	if d.Tries != int64(total) {
		t.Errorf("tries: got %d, want %d", d.Tries, total)
	}
	if len(d.Addrs) != storage.SecurityMaxAddrs+1 {
		t.Fatalf("addresses: got %d, want %d and the bucket", len(d.Addrs), storage.SecurityMaxAddrs)
	}
	last := d.Addrs[len(d.Addrs)-1]
	if last != (storage.AddrTries{Addr: storage.OtherAddrs, Tries: 2 * extra}) {
		t.Errorf("bucket: got %+v, want %s with %d", last, storage.OtherAddrs, 2*extra)
	}
	var sum int64
	for _, a := range d.Addrs {
		sum += a.Tries
	}
	if sum != int64(total) {
		t.Errorf("sum over addresses: got %d, want %d", sum, total)
	}
	anna := d.Names[0]
	if anna.Name != "anna" || anna.Addrs != storage.SecurityMaxAddrs || !anna.OtherMore {
		t.Errorf("anna: got %+v, want %d addresses and more", anna, storage.SecurityMaxAddrs)
	}
	if bert := d.Names[1]; bert.Addrs != 1 || bert.OtherMore {
		t.Errorf("bert: got %+v, want 1 address", bert)
	}
}

func TestRecordFailedLoginRefusesBadInput(t *testing.T) {
	st := newStore(t)
	for _, f := range []storage.FailedLogin{{Day: "gisteren", Name: "anna"}, {Day: "2026-12-01", Name: ""}} {
		if err := st.RecordFailedLogin(context.Background(), f, time.Hour); err == nil {
			t.Errorf("%+v: got nil, want an error", f)
		}
	}
}

func TestLoginTry(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		n, err := st.LoginTry(ctx, "addr", "192.0.2.1", start, time.Minute)
		if err != nil || n != int64(i+1) {
			t.Fatalf("try %d: got %d %v, want %d", i+1, n, err, i+1)
		}
	}
	if n, err := st.LoginTry(ctx, "addr", "192.0.2.1", start.Add(time.Minute), time.Minute); err != nil || n != 1 {
		t.Errorf("next window: got %d %v, want 1", n, err)
	}
	if n, err := st.LoginTry(ctx, "name", "192.0.2.1", start, time.Minute); err != nil || n != 1 {
		t.Errorf("other scope: got %d %v, want 1", n, err)
	}
	keys, err := rdb.Keys(ctx, "pb:login:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > 2*time.Minute {
			t.Errorf("%s: ttl %v, want at most two windows", k, ttl)
		}
	}
}

func TestRevokeSession(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := storage.New(srv.Client(t)), storage.New(srv.Client(t))
	if err := a.RevokeSession(ctx, "sig1", time.Hour); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sig  string
		want bool
	}{{"sig1", true}, {"sig2", false}}
	for _, tt := range tests {
		// another client on the same Redis (another replica) sees the logout
		if got, err := b.SessionRevoked(ctx, tt.sig); err != nil || got != tt.want {
			t.Errorf("%s: got %v %v, want %v", tt.sig, got, err, tt.want)
		}
	}
	if ttl := srv.Client(t).TTL(ctx, "pb:dash:revoked:sig1").Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("ttl: got %v, want the rest of the session (1h)", ttl)
	}
}
