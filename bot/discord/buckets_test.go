package discord_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/storage"
)

// Two replicas send to the same DM at once, against a fake that gives each channel's
// messages a bucket of 5 a second and names it in every answer. Each replica's
// discordgo follows the headers on its own, so without the shared buckets the two
// together overrun the bucket (429s, counted by the fake); with them, a place is
// taken in Redis before each request and what an answer says is shared: no 429.
func TestRouteBucketsSharedByReplicas(t *testing.T) {
	rs := redistest.Start(t)
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared %v", shared), func(t *testing.T) {
			srv := discordtest.NewServer(t, testToken)
			srv.AddMember(resident, "Anna")
			dm := openDMs(t, srv, resident)[0]
			srv.MessageBuckets(5, time.Second)
			const replicas, each = 2, 10
			var wg sync.WaitGroup
			errs := make(chan error, replicas*each)
			for r := range replicas {
				cfg := discord.Config{Token: testToken, APIBase: srv.URL()}
				if shared {
					cfg.Buckets = storage.New(rs.Client(t))
				}
				ch, err := discord.New(cfg, slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
				if err != nil {
					t.Fatal(err)
				}
				for i := range each {
					wg.Add(1)
					go func() {
						defer wg.Done()
						m := bot.Message{To: bot.Address{Channel: "discord", ChatID: dm}, Text: fmt.Sprintf("Bericht %d van replica %d", i, r)}
						for try := 0; try < 20; try++ { // as the outbox retries after retry_after
							err := ch.Send(context.Background(), m)
							var limited *bot.RateLimitedError
							if !errors.As(err, &limited) {
								errs <- err
								return
							}
							time.Sleep(limited.RetryAfter)
						}
						errs <- fmt.Errorf("%q: still rate limited after 20 tries", m.Text)
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := len(srv.Messages(dm)); got != replicas*each {
				t.Fatalf("got %d messages in the DM, want %d", got, replicas*each)
			}
			refused := srv.RouteRefused()
			t.Logf("shared %v: %d requests refused by the DM's bucket", shared, refused)
			if shared && refused != 0 {
				var start time.Time
				for _, r := range srv.Requests() {
					if start.IsZero() {
						start = r.Time
					}
					t.Logf("%s %s +%s %d", r.Method, r.Path, r.Time.Sub(start).Round(time.Millisecond), r.Status)
				}
				t.Errorf("with shared buckets the DM's bucket refused %d requests, want none", refused)
			}
			if !shared && refused == 0 {
				t.Errorf("without shared buckets no request was refused: the fake's bucket is not enforced, so the shared case proves nothing")
			}
		})
	}
}
