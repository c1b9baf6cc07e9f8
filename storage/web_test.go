package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

var webKey = []byte("0123456789abcdef-web-key")

func newWebStore(t *testing.T) *storage.Store {
	t.Helper()
	st := newStore(t)
	if err := st.SetWebKey(webKey); err != nil {
		t.Fatal(err)
	}
	return st
}

func startWeb(t *testing.T, st *storage.Store, chat string) {
	t.Helper()
	if created, err := st.WebStart(context.Background(), chat, time.Now()); err != nil || !created {
		t.Fatalf("start: got %v %v, want true nil", created, err)
	}
}

// keys returns every key in the store matching pattern, of every master of a
// cluster.
func keys(t *testing.T, st *storage.Store, pattern string) []string {
	t.Helper()
	ctx := context.Background()
	c, ok := st.Client().(*redis.ClusterClient)
	if !ok {
		ks, err := st.Client().Keys(ctx, pattern).Result()
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	var mu sync.Mutex
	var ks []string
	if err := c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		got, err := m.Keys(ctx, pattern).Result()
		mu.Lock()
		ks = append(ks, got...)
		mu.Unlock()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestWebTranscript(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	const chat = "0123456789abcdef0123456789abcdef"
	if _, err := st.WebAppend(ctx, chat, []byte(`{}`)); !errors.Is(err, storage.ErrWebGone) {
		t.Errorf("append before start: got %v, want %v", err, storage.ErrWebGone)
	}
	startWeb(t, st, chat)
	if created, err := st.WebStart(ctx, chat, time.Now()); created || err != nil {
		t.Errorf("second start: got %v %v, want false nil", created, err)
	}
	for i, msg := range []string{`{"text":"a"}`, `{"text":"b"}`, `{"text":"c"}`} {
		id, err := st.WebAppend(ctx, chat, []byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		if id != i {
			t.Errorf("append %d: got id %v, want %v", i, id, i)
		}
	}
	edits := []struct {
		name    string
		id      int
		wantErr error
	}{
		{"edit the middle", 1, nil},
		{"past the end", 3, storage.ErrNotFound},
		{"negative is not from the end", -1, storage.ErrNotFound},
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			err := st.WebEdit(ctx, chat, tc.id, []byte(`{"text":"B"}`))
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
	if err := st.WebEdit(ctx, "ffffffffffffffffffffffffffffffff", 0, []byte(`{}`)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("edit of unknown chat: got %v, want %v", err, storage.ErrNotFound)
	}
	reads := []struct {
		name      string
		from      int
		wantFirst int
		want      string
	}{
		{"all", 0, 0, `[{"text":"a"} {"text":"B"} {"text":"c"}]`},
		{"tail", 2, 2, `[{"text":"c"}]`},
		{"past the end", 5, 5, `[]`},
		{"negative from is all", -3, 0, `[{"text":"a"} {"text":"B"} {"text":"c"}]`},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			first, msgs, err := st.WebTranscript(ctx, chat, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%d %s", first, msgs); got != fmt.Sprintf("%d %s", tc.wantFirst, tc.want) {
				t.Errorf("got %v, want %v %v", got, tc.wantFirst, tc.want)
			}
		})
	}
	if n, err := st.WebLen(ctx, chat); n != 3 || err != nil {
		t.Errorf("len: got %v %v, want 3 nil", n, err)
	}
	if m, err := st.WebMessage(ctx, chat, 1); string(m) != `{"text":"B"}` || err != nil {
		t.Errorf("message 1: got %s %v, want {\"text\":\"B\"} nil", m, err)
	}
	if _, err := st.WebMessage(ctx, chat, 3); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("message 3: got %v, want %v", err, storage.ErrNotFound)
	}
	if ks := keys(t, st, "*"+chat+"*"); len(ks) != 0 {
		t.Errorf("keys naming the raw web id: got %v, want none", ks)
	}
}

func TestWebTranscriptCap(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	t.Run("messages", func(t *testing.T) {
		chat := strings.Repeat("a", 32)
		startWeb(t, st, chat)
		total := storage.WebMaxMessages + 10
		for i := range total {
			id, err := st.WebAppend(ctx, chat, []byte(fmt.Sprintf(`{"text":"%d"}`, i)))
			if err != nil || id != i {
				t.Fatalf("append %d: got %v %v, want %v nil", i, id, err, i)
			}
		}
		first, msgs, err := st.WebTranscript(ctx, chat, 0)
		if err != nil || first != 10 || len(msgs) != storage.WebMaxMessages || string(msgs[0]) != `{"text":"10"}` {
			t.Fatalf("transcript: got first %v, %d messages, %s, %v; want first 10, %d, {\"text\":\"10\"}",
				first, len(msgs), msgs[0], err, storage.WebMaxMessages)
		}
		checks := []struct {
			name    string
			err     error
			wantErr error
		}{
			{"trimmed message is gone", errOf(st.WebMessage(ctx, chat, 9)), storage.ErrNotFound},
			{"oldest kept keeps its id", errOf(st.WebMessage(ctx, chat, 10)), nil},
			{"edit of a trimmed message", st.WebEdit(ctx, chat, 9, []byte(`{}`)), storage.ErrNotFound},
			{"edit of the newest by its id", st.WebEdit(ctx, chat, total-1, []byte(`{"text":"x"}`)), nil},
		}
		for _, ck := range checks {
			if !errors.Is(ck.err, ck.wantErr) {
				t.Errorf("%s: got %v, want %v", ck.name, ck.err, ck.wantErr)
			}
		}
		if m, _ := st.WebMessage(ctx, chat, total-1); string(m) != `{"text":"x"}` {
			t.Errorf("edited newest: got %s, want {\"text\":\"x\"}", m)
		}
		if n, err := st.WebLen(ctx, chat); n != total || err != nil {
			t.Errorf("len: got %v %v, want %v nil", n, err, total)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		chat := strings.Repeat("b", 32)
		startWeb(t, st, chat)
		big := []byte(`"` + strings.Repeat("x", 1<<20) + `"`)
		for range 6 {
			if _, err := st.WebAppend(ctx, chat, big); err != nil {
				t.Fatal(err)
			}
		}
		_, msgs, _ := st.WebTranscript(ctx, chat, 0)
		size := 0
		for _, m := range msgs {
			size += len(m)
		}
		if size > storage.WebMaxBytes || len(msgs) != 3 {
			t.Errorf("kept: got %d messages of %d bytes, want 3 within %d", len(msgs), size, storage.WebMaxBytes)
		}
		huge := []byte(strings.Repeat("y", storage.WebMaxBytes+1))
		id, err := st.WebAppend(ctx, chat, huge)
		if _, msgs, _ = st.WebTranscript(ctx, chat, 0); err != nil || id != 6 || len(msgs) != 1 {
			t.Errorf("one message over the cap: got id %v, %d kept, %v; want id 6 kept alone", id, len(msgs), err)
		}
	})
}

func errOf(_ []byte, err error) error { return err }

func TestWebRetention(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	const chat = "0123456789abcdef0123456789abcdef"
	startWeb(t, st, chat)
	if _, err := st.WebAppend(ctx, chat, []byte(`{"text":"a"}`)); err != nil {
		t.Fatal(err)
	}
	ttls := func() []time.Duration {
		t.Helper()
		var out []time.Duration
		for _, pattern := range []string{"pb:w:{*}:t", "pb:w:{*}:s"} {
			ks := keys(t, st, pattern)
			if len(ks) != 1 {
				t.Fatalf("keys %s: got %v, want one", pattern, ks)
			}
			out = append(out, st.Client().PTTL(ctx, ks[0]).Val())
		}
		return out
	}
	steps := []struct {
		name string
		do   func() error
		want time.Duration
	}{
		{"visitor who did not consent", func() error { return nil }, storage.WebVisitorTTL},
		{"resident consents", func() error { return st.WebKeep(ctx, chat, true) }, storage.WebTranscriptTTL},
		{"a message keeps the long retention", func() error { _, err := st.WebAppend(ctx, chat, []byte(`{}`)); return err }, storage.WebTranscriptTTL},
		{"consent withdrawn", func() error { return st.WebKeep(ctx, chat, false) }, storage.WebVisitorTTL},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, ttl := range ttls() {
			if ttl <= s.want-time.Minute || ttl > s.want {
				t.Errorf("%s: got ttl %v, want %v", s.name, ttl, s.want)
			}
		}
	}
	if got := storage.WebRetention(true); got != 180*24*time.Hour {
		t.Errorf("retention of a resident: got %v, want 180 days", got)
	}
}

func TestWebForget(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	const chat, other = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	for _, c := range []string{chat, other} {
		startWeb(t, st, c)
		if _, err := st.WebAppend(ctx, c, []byte(`{"from":"inwoner","text":"Meer bankjes in het park `+c[:4]+`"}`)); err != nil {
			t.Fatal(err)
		}
		if err := st.WebKeep(ctx, c, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.WebCountChat(ctx, c, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := st.WebCountAddress(ctx, "192.0.2.7", time.Minute); err != nil {
		t.Fatal(err)
	}
	before := keys(t, st, "*")
	if err := st.WebForget(ctx, chat); err != nil {
		t.Fatal(err)
	}
	after := keys(t, st, "*")
	// only the other chat's three keys and the address counter stay
	if len(before) != 7 || len(after) != 4 {
		t.Errorf("keys: got %d before and %d after, want 7 and 4: %v", len(before), len(after), after)
	}
	for _, k := range after {
		v, _ := st.Client().Dump(ctx, k).Result()
		if strings.Contains(k, chat) || strings.Contains(v, chat[:4]) {
			t.Errorf("key %s after forget: holds the forgotten chat, want nothing of it", k)
		}
	}
	if ok, err := st.WebExists(ctx, chat); ok || err != nil {
		t.Errorf("exists after forget: got %v %v, want false nil", ok, err)
	}
	if ok, _ := st.WebExists(ctx, other); !ok {
		t.Errorf("other chat after forget: got gone, want kept")
	}
	if _, err := st.WebAppend(ctx, chat, []byte(`{}`)); !errors.Is(err, storage.ErrWebGone) {
		t.Errorf("append after forget: got %v, want %v", err, storage.ErrWebGone)
	}
	if err := st.WebKeep(ctx, chat, true); !errors.Is(err, storage.ErrWebGone) {
		t.Errorf("keep after forget: got %v, want %v", err, storage.ErrWebGone)
	}
	if err := st.WebForget(ctx, chat); err != nil {
		t.Errorf("forget twice: got %v, want nil", err)
	}
}

func TestWebCount(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	const chat = "0123456789abcdef0123456789abcdef"
	for i := 1; i <= 3; i++ {
		n, reset, err := st.WebCountChat(ctx, chat, time.Minute)
		if err != nil || n != i || reset <= 0 || reset > time.Minute {
			t.Errorf("chat post %d: got %v %v %v, want %v within a minute", i, n, reset, err, i)
		}
	}
	if n, _, _ := st.WebCountAddress(ctx, "192.0.2.7", time.Minute); n != 1 {
		t.Errorf("address: got %v, want 1 (counted apart from the chat)", n)
	}
	if ks := keys(t, st, "*192.0.2.7*"); len(ks) != 0 {
		t.Errorf("keys naming the address: got %v, want none", ks)
	}
}

func TestSetWebKey(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	if _, err := st.WebLen(ctx, "0123456789abcdef0123456789abcdef"); !errors.Is(err, storage.ErrNoWebKey) {
		t.Errorf("without a key: got %v, want %v", err, storage.ErrNoWebKey)
	}
	tests := []struct {
		name    string
		key     []byte
		wantErr bool
	}{
		{"too short", []byte("short"), true},
		{"first", webKey, false},
		{"the same again", append([]byte(nil), webKey...), false},
		{"another", []byte("another key of 16+ bytes"), true},
	}
	for _, tc := range tests {
		if err := st.SetWebKey(tc.key); (err != nil) != tc.wantErr {
			t.Errorf("%s: got %v, want error %v", tc.name, err, tc.wantErr)
		}
	}
}

func TestWebDropLegacy(t *testing.T) {
	st := newWebStore(t)
	ctx := context.Background()
	const chat = "0123456789abcdef0123456789abcdef"
	legacy := "pb:web:{" + chat + "}:t"
	if err := st.Client().RPush(ctx, legacy, `{"text":"oud"}`).Err(); err != nil {
		t.Fatal(err)
	}
	startWeb(t, st, chat)
	if _, err := st.WebAppend(ctx, chat, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	n, err := st.WebDropLegacy(ctx)
	if err != nil || n != 1 {
		t.Errorf("dropped: got %v %v, want 1 nil", n, err)
	}
	if ks := keys(t, st, "*"); len(ks) != 2 {
		t.Errorf("keys left: got %v, want the new chat's two", ks)
	}
}
