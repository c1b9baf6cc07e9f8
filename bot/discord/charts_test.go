package discord_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
)

// chartPNG is a small distinct PNG, as a results chart.
func chartPNG(t *testing.T, i int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(i%8, i/8, color.RGBA{R: uint8(40 * i), A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The results' charts to 200 members: with an image base each chart is an embed
// by URL, which the fake's media proxy fetches once, and no message uploads a file;
// without one, every member's message uploads all of them.
func TestResultsChartsTo200Members(t *testing.T) {
	const members, charts = 200, 5
	var album []bot.File
	blobs := map[string][]byte{}
	for i := range charts {
		data := chartPNG(t, i)
		sum := sha256.Sum256(data)
		ref := hex.EncodeToString(sum[:])
		blobs[ref] = data
		album = append(album, bot.File{Name: fmt.Sprintf("vraag-%d.png", i+1), Data: data, Ref: ref, Alt: fmt.Sprintf("Grafiek %d", i+1)})
	}
	// the service's /bijlage/{ref}, as serve mounts it (bot/web.Attachments)
	var served sync.Map
	pub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := strings.TrimPrefix(r.URL.Path, "/bijlage/")
		data, ok := blobs[ref]
		if !ok {
			http.NotFound(w, r)
			return
		}
		n, _ := served.LoadOrStore(ref, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(data)
	}))
	t.Cleanup(pub.Close)

	for _, tc := range []struct {
		name      string
		imageBase string
		uploads   int // files in all requests
		fetches   int
	}{
		{"by URL", pub.URL + "/bijlage/", 0, charts},
		{"uploaded without PUBLIC_URL", "", members * charts, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := discordtest.NewServer(t, testToken)
			var users []string
			for i := range members {
				id := fmt.Sprintf("4000000000000%05d", i)
				srv.AddMember(id, fmt.Sprintf("lid%d", i))
				users = append(users, id)
			}
			dms := openDMs(t, srv, users...)
			skip := len(srv.Requests())
			ch, err := discord.New(discord.Config{Token: testToken, APIBase: srv.URL(), ImageBase: tc.imageBase,
				Limits: bot.Limits{PerSecond: 10000, Burst: 100, PerChatPerSecond: 10, PerChatBurst: 5}},
				slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, members)
			sem := make(chan struct{}, 16) // the outbox's workers
			for _, dm := range dms {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer func() { <-sem; wg.Done() }()
					errs <- ch.Send(context.Background(), bot.Message{To: bot.Address{Channel: "discord", ChatID: dm}, Album: album})
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			uploads := 0
			for _, r := range srv.Requests()[skip:] {
				uploads += len(r.Files)
			}
			fetches := srv.ImageFetches()
			t.Logf("%s: %d requests for %d members, %d files uploaded, %d images fetched by the media proxy",
				tc.name, len(srv.Requests())-skip, members, uploads, len(fetches))
			if uploads != tc.uploads || len(fetches) != tc.fetches {
				t.Errorf("uploads %d, fetches %d; want %d and %d", uploads, len(fetches), tc.uploads, tc.fetches)
			}
			for _, f := range fetches {
				ref := strings.TrimPrefix(f.URL, tc.imageBase)
				if !f.OK() || !bytes.Equal(f.Bytes, blobs[ref]) {
					t.Errorf("media proxy: %s answered %d %q", f.URL, f.Status, f.Err)
				}
			}
			for _, dm := range dms {
				msgs := srv.Messages(dm)
				if len(msgs) != 1 || len(msgs[0].Embedded) != charts {
					t.Fatalf("DM %s: %d messages, want one with %d charts", dm, len(msgs), charts)
				}
				for i, e := range msgs[0].Embedded {
					if e.Description != album[i].Alt {
						t.Errorf("DM %s chart %d: alt %q, want %q", dm, i, e.Description, album[i].Alt)
					}
				}
			}
			if v := srv.Violations(); len(v) != 0 {
				t.Errorf("violations: %q", v)
			}
		})
	}
	var n int64
	served.Range(func(_, v any) bool { n += v.(*atomic.Int64).Load(); return true })
	if n != charts {
		t.Errorf("the service served %d chart downloads, want each of the %d once", n, charts)
	}
}
