package whatsapptest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// decode reads a notification as a bot would.
func decode(t *testing.T, body []byte) wireNotification {
	t.Helper()
	var n wireNotification
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		t.Fatalf("notification does not decode: %v: %s", err, body)
	}
	return n
}

func TestWebhookSignedAsDocumented(t *testing.T) {
	s := Start(t)
	c := newClock()
	s.SetNow(c.now)
	r := newReceiver(t)
	s.SetWebhook(r.ts.URL, "app-secret")
	s.SetProfileName(resident, "Sanne")
	id := s.SendText(resident, "Wanneer is de bijeenkomst?")
	s.WaitFor(t, 5*time.Second, "the delivery", func() (bool, string) {
		n := len(r.received())
		return n == 1, fmt.Sprint(n, " posts")
	})
	got := r.received()[0]
	mac := hmac.New(sha256.New, []byte("app-secret"))
	mac.Write(got.body)
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(got.signature), []byte(want)) {
		t.Fatalf("got signature %q, want %q", got.signature, want)
	}
	var raw map[string]any
	if err := json.Unmarshal(got.body, &raw); err != nil || raw["object"] != "whatsapp_business_account" {
		t.Fatalf("got %s, want object whatsapp_business_account", got.body)
	}
	n := decode(t, got.body)
	ch := n.Entry[0].Changes[0]
	v := ch.Value
	if n.Entry[0].ID != DefaultWABAID || ch.Field != "messages" || v.MessagingProduct != "whatsapp" ||
		v.Metadata != (wireMetadata{DefaultDisplayPhoneNumber, DefaultPhoneNumberID}) {
		t.Fatalf("got envelope %+v, want the WABA id, field messages and metadata", n)
	}
	if len(v.Contacts) != 1 || v.Contacts[0].WaID != resident || v.Contacts[0].Profile.Name != "Sanne" {
		t.Fatalf("got contacts %+v, want Sanne %s", v.Contacts, resident)
	}
	m := v.Messages[0]
	if m.ID != id || m.From != resident || m.Type != "text" || m.Text.Body != "Wanneer is de bijeenkomst?" || m.Timestamp != strconv.FormatInt(c.now().Unix(), 10) {
		t.Fatalf("got message %+v, want text %s with the clock's unix timestamp", m, id)
	}
	if !strings.Contains(string(got.body), `"timestamp":"`) {
		t.Fatalf("got %s, want the timestamp as a string", got.body)
	}
}

func TestReplies(t *testing.T) {
	s, r := started(t)
	s.SetStatuses()
	s.ApproveTemplate("herinnering", "nl", 0, 1)
	b := send(t, s, resident, "interactive", buttons("Eens?", [2]string{"yes", "Ja"})).messageID()
	l := send(t, s, resident, "interactive", list("Kies", "Buurten", section("Noord", [3]string{"n1", "Centrum", "Plein"}))).messageID()
	tpl := send(t, s, resident, "template", template("herinnering", nil, "start")).messageID()
	s.PressButton(resident, b, "yes", "Ja")
	s.PickRow(resident, l, "n1", "Centrum", "Plein")
	s.PressTemplateButton(resident, "start", "Begin")
	s.SendImage(resident)
	s.SendAudio(resident)
	s.WaitFor(t, 5*time.Second, "six deliveries", func() (bool, string) {
		n := len(r.received())
		return n == 6, fmt.Sprint(n, " posts")
	})
	got := r.received()
	msg := func(i int) wireInbound { return decode(t, got[i].body).Entry[0].Changes[0].Value.Messages[0] }
	tests := []struct {
		name string
		m    wireInbound
		ok   bool
	}{
		{"button_reply", msg(1), msg(1).Type == "interactive" && msg(1).Interactive.Type == "button_reply" &&
			*msg(1).Interactive.ButtonReply == wireRow{ID: "yes", Title: "Ja"} && msg(1).Context.ID == b},
		{"list_reply", msg(2), msg(2).Interactive.Type == "list_reply" &&
			*msg(2).Interactive.ListReply == wireRow{ID: "n1", Title: "Centrum", Description: "Plein"} && msg(2).Context.ID == l},
		{"template button", msg(3), msg(3).Type == "button" && msg(3).Button.Payload == "start" && msg(3).Button.Text == "Begin" &&
			msg(3).Context.ID == tpl && msg(3).Context.From == DefaultDisplayPhoneNumber},
		{"image", msg(4), msg(4).Type == "image" && msg(4).Image.ID != "" && msg(4).Image.MIMEType == "image/jpeg"},
		{"audio", msg(5), msg(5).Type == "audio" && msg(5).Audio.Voice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Fatalf("got %+v, want a %s", tt.m, tt.name)
			}
		})
	}
}

// errorsTB records Errorf instead of failing, to test that misuse fails a test.
type errorsTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (e *errorsTB) Errorf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

func TestPressingWhatWasNeverSentFails(t *testing.T) {
	rec := &errorsTB{TB: t}
	s := Start(rec)
	r := newReceiver(t)
	s.SetWebhook(r.ts.URL, "secret")
	s.SendText(resident, "hoi")
	b := send(t, s, resident, "interactive", buttons("Eens?", [2]string{"yes", "Ja"})).messageID()
	s.PressButton(resident, b, "yes", "Ja")
	s.PressButton(resident, b, "no", "Nee")
	s.PickRow(resident, b, "r", "Rij", "")
	s.PressTemplateButton(resident, "nergens", "X")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errs) != 3 {
		t.Fatalf("got errors %q, want 3", rec.errs)
	}
}

func TestRedeliveryUntil200(t *testing.T) {
	s, r := started(t)
	r.mu.Lock()
	r.status = func(n int) int {
		if n == 1 {
			return http.StatusOK // started's greeting
		}
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	}
	r.mu.Unlock()
	s.WaitFor(t, 5*time.Second, "the greeting", func() (bool, string) {
		n := len(r.received())
		return n == 1, fmt.Sprint(n, " posts")
	})
	s.SetStatuses()
	s.SetRetry(time.Millisecond, 5)
	id := s.SendText(resident, "nog een keer")
	s.WaitFor(t, 5*time.Second, "a 200", func() (bool, string) {
		ds := kindOf(s.Deliveries(), "message")
		return len(ds) == 4 && ds[3].OK(), fmt.Sprintf("%+v", ds)
	})
	ds := kindOf(s.Deliveries(), "message")[1:]
	for i, d := range ds {
		if d.MessageID != id || d.Attempt != i+1 || string(d.Body) != string(ds[0].Body) {
			t.Fatalf("delivery %d: got %+v, want attempt %d of %s with the same body", i, d, i+1, id)
		}
	}
	if ds[0].HTTPStatus != 500 || ds[1].HTTPStatus != 500 {
		t.Fatalf("got statuses %d %d, want 500 500", ds[0].HTTPStatus, ds[1].HTTPStatus)
	}
	if got := s.Redeliveries(); got != 2 {
		t.Fatalf("got %d redeliveries, want 2", got)
	}
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	s := Start(t)
	r := newReceiver(t)
	r.status = func(int) int { return http.StatusServiceUnavailable }
	s.SetWebhook(r.ts.URL, "secret")
	s.SetRetry(time.Millisecond, 3)
	s.SendText(resident, "hoi")
	s.SendText(resident, "daarna")
	s.WaitFor(t, 5*time.Second, "six failed posts", func() (bool, string) {
		n := len(s.Deliveries())
		return n == 6, fmt.Sprint(n, " deliveries")
	})
	if got := s.Redeliveries(); got != 4 {
		t.Fatalf("got %d redeliveries, want 4", got)
	}
}

func TestDuplicateDelivery(t *testing.T) {
	s, r := started(t)
	s.SetStatuses()
	s.Duplicate(1)
	id := s.SendText(resident, "dubbel")
	s.SendText(resident, "enkel")
	s.WaitFor(t, 5*time.Second, "four posts", func() (bool, string) {
		n := len(r.received())
		return n == 4, fmt.Sprint(n, " posts")
	})
	ds := kindOf(s.Deliveries(), "message")[1:]
	if ds[0].MessageID != id || ds[1].MessageID != id || !ds[1].Duplicate || string(ds[0].Body) != string(ds[1].Body) || ds[2].Duplicate {
		t.Fatalf("got %+v, want %s twice with the same body, the second marked, then one other", ds, id)
	}
}

func TestStatusNotifications(t *testing.T) {
	s, r := started(t)
	a := send(t, s, resident, "text", text("hoi"))
	s.WaitFor(t, 5*time.Second, "three statuses", func() (bool, string) {
		n := len(kindOf(s.Deliveries(), "status"))
		return n == 3, fmt.Sprint(n, " statuses, ", len(r.received()), " posts")
	})
	for i, want := range []string{StatusSent, StatusDelivered, StatusRead} {
		d := kindOf(s.Deliveries(), "status")[i]
		st := decode(t, d.Body).Entry[0].Changes[0].Value.Statuses[0]
		if d.Status != want || st.Status != want || st.ID != a.messageID() || st.RecipientID != resident || st.Timestamp == "" {
			t.Fatalf("status %d: got %+v, want %s of %s", i, st, want, a.messageID())
		}
	}
	s.SetStatuses()
	send(t, s, resident, "text", text("stil"))
	s.SendText(resident, "markeer")
	s.WaitFor(t, 5*time.Second, "the marker", func() (bool, string) {
		n := len(kindOf(s.Deliveries(), "message"))
		return n == 2, fmt.Sprint(n, " messages")
	})
	if n := len(kindOf(s.Deliveries(), "status")); n != 3 {
		t.Fatalf("got %d statuses with statuses off, want still 3", n)
	}
}

func TestVerifyWebhook(t *testing.T) {
	s := Start(t)
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodGet || q.Get("hub.mode") != "subscribe" || q.Get("hub.verify_token") != "geheim" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte(q.Get("hub.challenge")))
	}))
	t.Cleanup(bot.Close)
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{"right token", "geheim", true},
		{"wrong token", "fout", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, ok := s.VerifyWebhook(bot.URL+"/webhook", tt.token)
			if ok != tt.want || (ok && answer == "") {
				t.Fatalf("got %q %v, want %v", answer, ok, tt.want)
			}
		})
	}
}
