package web

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

func TestConfig(t *testing.T) {
	secret := []byte("0123456789abcdef")
	const pub = "https://praatmee.weert.nl"
	tests := []struct {
		name      string
		cfg       Config
		wantErr   bool
		wantTitle string
		wantWait  time.Duration
		wantTTL   time.Duration
	}{
		{"defaults", Config{Secret: secret, PublicURL: pub}, false, DefaultTitle, DefaultReplyWait, DefaultLinkTTL},
		{"given", Config{Secret: secret, PublicURL: pub + "/chat/", Title: "Gemeente Weert", ReplyWait: time.Second, LinkTTL: time.Hour},
			false, "Gemeente Weert", time.Second, time.Hour},
		{"no secret", Config{PublicURL: pub}, true, "", 0, 0},
		{"short secret", Config{Secret: secret[:15], PublicURL: pub}, true, "", 0, 0},
		{"negative wait", Config{Secret: secret, PublicURL: pub, ReplyWait: -time.Second}, true, "", 0, 0},
		{"negative link lifetime", Config{Secret: secret, PublicURL: pub, LinkTTL: -time.Hour}, true, "", 0, 0},
		{"negative post limit", Config{Secret: secret, PublicURL: pub, PostsPerMinute: -1}, true, "", 0, 0},
		{"no public URL", Config{Secret: secret}, true, "", 0, 0},
		{"public URL without scheme", Config{Secret: secret, PublicURL: "praatmee.weert.nl"}, true, "", 0, 0},
		{"public URL with a query", Config{Secret: secret, PublicURL: pub + "/?p=x"}, true, "", 0, 0},
		{"public URL with a password", Config{Secret: secret, PublicURL: "https://a:b@praatmee.weert.nl"}, true, "", 0, 0},
		{"public URL of another scheme", Config{Secret: secret, PublicURL: "javascript://praatmee.weert.nl"}, true, "", 0, 0},
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
			if ch.cfg.Title != tc.wantTitle || ch.cfg.ReplyWait != tc.wantWait || ch.cfg.LinkTTL != tc.wantTTL {
				t.Errorf("got %q %v %v, want %q %v %v", ch.cfg.Title, ch.cfg.ReplyWait, ch.cfg.LinkTTL, tc.wantTitle, tc.wantWait, tc.wantTTL)
			}
			if strings.HasSuffix(ch.cfg.PublicURL, "/") {
				t.Errorf("public URL: got %q, want it without a final /", ch.cfg.PublicURL)
			}
			if ch.Name() != "web" || ch.Limits().MaxChoiceData != 200 {
				t.Errorf("got name %v max data %v, want web 200", ch.Name(), ch.Limits().MaxChoiceData)
			}
		})
	}
}
