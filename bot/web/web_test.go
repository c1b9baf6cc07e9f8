package web

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

func TestConfig(t *testing.T) {
	secret := []byte("0123456789abcdef")
	tests := []struct {
		name      string
		cfg       Config
		wantErr   bool
		wantTitle string
		wantWait  time.Duration
	}{
		{"defaults", Config{Secret: secret}, false, DefaultTitle, DefaultReplyWait},
		{"given", Config{Secret: secret, Title: "Gemeente Weert", ReplyWait: time.Second}, false, "Gemeente Weert", time.Second},
		{"no secret", Config{}, true, "", 0},
		{"short secret", Config{Secret: secret[:15]}, true, "", 0},
		{"negative wait", Config{Secret: secret, ReplyWait: -time.Second}, true, "", 0},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); (err != nil) != tc.wantErr {
				t.Fatalf("validate: got %v, want error %v", err, tc.wantErr)
			}
			ch, err := New(tc.cfg, storage.New(nil), log)
			if (err != nil) != tc.wantErr {
				t.Fatalf("new: got %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if ch.cfg.Title != tc.wantTitle || ch.cfg.ReplyWait != tc.wantWait {
				t.Errorf("got %q %v, want %q %v", ch.cfg.Title, ch.cfg.ReplyWait, tc.wantTitle, tc.wantWait)
			}
			if ch.Name() != "web" || ch.Limits().MaxChoiceData != 200 {
				t.Errorf("got name %v max data %v, want web 200", ch.Name(), ch.Limits().MaxChoiceData)
			}
		})
	}
}
