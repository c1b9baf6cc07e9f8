package whatsapp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
)

const appSecret = "app-geheim-van-de-gemeente"

// received is what the fake Cloud API posted to the webhook.
type received struct {
	mu    sync.Mutex
	posts []post
}

type post struct {
	body []byte
	sig  string
}

func (r *received) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.posts = append(r.posts, post{body: body, sig: req.Header.Get(whatsapp.SignatureHeader)})
	r.mu.Unlock()
}

func (r *received) all() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.posts)
}

// parseAll checks and parses every post so far.
func parseAll(t *testing.T, posts []post) ([]whatsapp.Inbound, []whatsapp.Status) {
	t.Helper()
	var ins []whatsapp.Inbound
	var sts []whatsapp.Status
	for _, p := range posts {
		if !whatsapp.Verify(appSecret, p.body, p.sig) {
			t.Fatalf("signature %q of %s does not verify", p.sig, p.body)
		}
		in, st, err := whatsapp.Parse(p.body)
		if err != nil {
			t.Fatalf("parse %s: %v", p.body, err)
		}
		ins, sts = append(ins, in...), append(sts, st...)
	}
	return ins, sts
}

// TestWebhookFromTheFake: the notifications the fake Cloud API posts, in Meta's wire
// format, verify and parse: a text, a reply button on the bot's question, and the
// statuses of the question sent.
func TestWebhookFromTheFake(t *testing.T) {
	wa := whatsapptest.Start(t)
	rec := &received{}
	hook := httptest.NewServer(rec)
	t.Cleanup(hook.Close)
	wa.SetWebhook(hook.URL, appSecret)
	resident := "31612345678"

	textID := wa.SendText(resident, "Hallo, ik wil meedoen")
	// the bot asks a question with reply buttons (its answer opens nothing: the
	// resident's text opened the window)
	q := map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": resident,
		"type": "interactive", "interactive": map[string]any{"type": "button",
			"body": map[string]any{"text": "De gemeente luistert voldoende naar de mening van de inwoners"},
			"action": map[string]any{"buttons": []map[string]any{
				{"type": "reply", "reply": map[string]any{"id": "a:r1:2:0", "title": "Eens"}},
				{"type": "reply", "reply": map[string]any{"id": "a:r1:2:1", "title": "Neutraal"}},
				{"type": "reply", "reply": map[string]any{"id": "a:r1:2:2", "title": "Oneens"}},
			}}}}
	b, _ := json.Marshal(q)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/v21.0/%s/messages", wa.URL(), wa.PhoneNumberID()), bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+wa.Token())
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Messages []struct{ ID string } `json:"messages"`
	}
	err = json.NewDecoder(res.Body).Decode(&sent)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || len(sent.Messages) != 1 {
		t.Fatalf("send the question: status %d, %+v, %v", res.StatusCode, sent, err)
	}
	qid := sent.Messages[0].ID
	pressID := wa.PressButton(resident, qid, "a:r1:2:1", "Neutraal")

	wa.WaitFor(t, 10*time.Second, "the text, the press and three statuses", func() (bool, string) {
		ins, sts := parseAll(t, rec.all())
		return len(ins) == 2 && len(sts) == 3, fmt.Sprintf("%+v %+v", ins, sts)
	})
	ins, sts := parseAll(t, rec.all())
	if in := ins[0]; in.ID != textID || in.From != resident || in.Type != "text" || in.Text != "Hallo, ik wil meedoen" ||
		in.Reply != "" || in.At.IsZero() || in.PhoneNumberID != wa.PhoneNumberID() {
		t.Errorf("text: got %+v", in)
	}
	if in := ins[1]; in.ID != pressID || in.From != resident || in.Type != "interactive" || in.Reply != "a:r1:2:1" ||
		in.Text != "Neutraal" || in.Context != qid {
		t.Errorf("button press: got %+v, want reply a:r1:2:1 on %s", in, qid)
	}
	var states []string
	for _, s := range sts {
		if s.ID != qid || s.Recipient != resident {
			t.Errorf("status: got %+v, want of %s to %s", s, qid, resident)
		}
		states = append(states, s.Status)
	}
	if want := []string{"sent", "delivered", "read"}; !slices.Equal(states, want) {
		t.Errorf("statuses: got %v, want %v", states, want)
	}
}

// TestVerifyRefuses: a body changed after signing, another app's secret, a missing
// or malformed header, and no secret at all are refused.
func TestVerifyRefuses(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	good := whatsapptest.Sign(appSecret, body)
	if !whatsapp.Verify(appSecret, body, good) {
		t.Fatalf("the good signature %q does not verify", good)
	}
	tests := []struct {
		name   string
		secret string
		body   []byte
		sig    string
	}{
		{"body changed", appSecret, []byte(`{"object":"whatsapp_business_account","entry":[{}]}`), good},
		{"other secret", "ander-geheim", body, good},
		{"no header", appSecret, body, ""},
		{"sha1 header", appSecret, body, "sha1=" + good[len("sha256="):]},
		{"not hex", appSecret, body, "sha256=zz"},
		{"no secret configured", "", body, whatsapptest.Sign("", body)},
	}
	for _, tt := range tests {
		if whatsapp.Verify(tt.secret, tt.body, tt.sig) {
			t.Errorf("%s: verified, want refused", tt.name)
		}
	}
}

// TestParseRefuses: bodies that are not a WhatsApp notification, or a message
// without what the conversation needs, are errors; other fields are passed over;
// a resident with a username only is keyed on the business-scoped user id.
func TestParseRefuses(t *testing.T) {
	bad := map[string]string{
		"not json":         `{`,
		"other object":     `{"object":"page","entry":[]}`,
		"no sender":        `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.1","timestamp":"1764238453","type":"text","text":{"body":"hoi"}}]}}]}]}`,
		"bad timestamp":    `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"316","id":"wamid.1","timestamp":"gisteren","type":"text","text":{"body":"hoi"}}]}}]}]}`,
		"reply without id": `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"316","id":"wamid.1","timestamp":"1764238453","type":"interactive","interactive":{"type":"button_reply","button_reply":{"title":"Eens"}}}]}}]}]}`,
	}
	for name, body := range bad {
		if ins, sts, err := whatsapp.Parse([]byte(body)); err == nil {
			t.Errorf("%s: got %+v %+v, want an error", name, ins, sts)
		}
	}
	other := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED"}}]}]}`
	if ins, sts, err := whatsapp.Parse([]byte(other)); err != nil || len(ins)+len(sts) != 0 {
		t.Errorf("another field: got %+v %+v %v, want nothing", ins, sts, err)
	}
	username := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"contacts":[{"profile":{"name":"Bob"},"user_id":"NL.1502576394655843"}],"messages":[{"from_user_id":"NL.1502576394655843","id":"wamid.2","timestamp":"1764238453","type":"image","image":{"id":"1"}}]}}]}]}`
	ins, _, err := whatsapp.Parse([]byte(username))
	if err != nil || len(ins) != 1 || ins[0].From != "NL.1502576394655843" || ins[0].Type != "image" || ins[0].Name != "Bob" {
		t.Errorf("username only: got %+v %v, want from NL.1502576394655843, type image", ins, err)
	}
}
