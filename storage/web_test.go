package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
)

func TestWebTranscript(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	const chat = "0123456789abcdef0123456789abcdef"
	for i, msg := range []string{`{"text":"a"}`, `{"text":"b"}`, `{"text":"c"}`} {
		id, err := st.WebAppend(ctx, chat, []byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		if id != i {
			t.Errorf("append %d: got id %v, want %v", i, id, i)
		}
	}
	ttl, err := st.Client().TTL(ctx, "pb:web:{"+chat+"}:t").Result()
	if err != nil || ttl <= 0 || ttl > storage.WebTranscriptTTL {
		t.Errorf("ttl: got %v %v, want (0, %v]", ttl, err, storage.WebTranscriptTTL)
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
		name string
		from int
		want string
	}{
		{"all", 0, `[{"text":"a"} {"text":"B"} {"text":"c"}]`},
		{"tail", 2, `[{"text":"c"}]`},
		{"past the end", 5, `[]`},
		{"negative from is all", -3, `[{"text":"a"} {"text":"B"} {"text":"c"}]`},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := st.WebTranscript(ctx, chat, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%s", msgs); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
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
	if err := st.WebDelete(ctx, chat); err != nil {
		t.Fatal(err)
	}
	if n, err := st.WebLen(ctx, chat); n != 0 || err != nil {
		t.Errorf("len after delete: got %v %v, want 0 nil", n, err)
	}
}
