package whatsapp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/redis/go-redis/v9"
)

// The webhook's throughput, beside its anchor:
//
//	go test ./bot/whatsapp/ -run '^$' -bench 'Webhook|Inbox' -benchtime 20000x
//
// BenchmarkWebhookReceive is what a Meta POST costs until its 200 (signature,
// parse, seal, stored in the inbox); BenchmarkInboxAnchor the same Redis taking one
// XADD of a sealed delivery's size per round trip from as many goroutines;
// BenchmarkInboxHandle how fast Run hands stored deliveries to a handler that does
// nothing (window, held messages, acknowledgement).

// notificationBody is one resident's text message as Meta posts it.
func notificationBody(i int64) []byte {
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":`+
		`{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},`+
		`"contacts":[{"profile":{"name":"Anna"},"wa_id":"3161%07d"}],"messages":[{"from":"3161%07d","id":"wamid.bench%d",`+
		`"timestamp":"%d","type":"text","text":{"body":"Meer bankjes op het plein"}}]}}]}]}`, i%1_000_000, i%1_000_000, i, time.Now().Unix())
}

// postAll sends deliveries to the webhook handler from parallel goroutines, n in all.
func postAll(b *testing.B, h http.Handler, seq *atomic.Int64, pb *testing.PB) {
	for pb.Next() {
		body := notificationBody(seq.Add(1))
		req := httptest.NewRequest(http.MethodPost, whatsapp.WebhookPath, bytes.NewReader(body))
		req.Header.Set(whatsapp.SignatureHeader, whatsapptest.Sign(appSecret, body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Errorf("status %d", w.Code)
			return
		}
	}
}

func BenchmarkWebhookReceive(b *testing.B) {
	r := newRig(b)
	h := r.ch.WebhookHandler()
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) { postAll(b, h, &seq, pb) })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

func BenchmarkInboxAnchor(b *testing.B) {
	r := newRig(b)
	rdb := r.store.Client()
	payload := bytes.Repeat([]byte("x"), 700) // a sealed delivery's size
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := rdb.XAdd(context.Background(), &redis.XAddArgs{Stream: "bench:anchor", Values: []any{"d", payload}}).Err(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "xadd/s")
}

// countingHandler takes every event.
type countingHandler struct{ n atomic.Int64 }

func (c *countingHandler) Handle(context.Context, bot.Event) error { c.n.Add(1); return nil }

func BenchmarkInboxHandle(b *testing.B) {
	r := newRig(b)
	h := r.ch.WebhookHandler()
	var seq atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) { postAll(b, h, &seq, pb) }) // b.N stored, untimed
	var hd countingHandler
	b.ResetTimer()
	start := time.Now()
	r.run(b, &hd)
	for hd.n.Load() < int64(b.N) {
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("handled %d of %d", hd.n.Load(), b.N)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "handled/s")
}
