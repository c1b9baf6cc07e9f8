package whatsapptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"sync"
	"testing"
	"time"
)

const resident = "31612345678"

// answer is a decoded API answer: the success fields or the Graph error.
type answer struct {
	Status   int
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Contacts []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	MessagingProduct string `json:"messaging_product"`
	ID               string `json:"id"`
	Error            *struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		Subcode   int    `json:"error_subcode"`
		FBTraceID string `json:"fbtrace_id"`
		ErrorData *struct {
			MessagingProduct string `json:"messaging_product"`
			Details          string `json:"details"`
		} `json:"error_data"`
	} `json:"error"`
}

func (a answer) code() int {
	if a.Error == nil {
		return 0
	}
	return a.Error.Code
}

func (a answer) messageID() string {
	if len(a.Messages) == 0 {
		return ""
	}
	return a.Messages[0].ID
}

// post sends body as JSON to path with token, as a channel would.
func post(t *testing.T, s *Server, token, path string, body any) answer {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, raw)
	}
	a.Status = resp.StatusCode
	return a
}

func messagesPath(s *Server) string { return "/v23.0/" + s.PhoneNumberID() + "/messages" }

// send posts a message of type typ with payload to resident.
func send(t *testing.T, s *Server, to, typ string, payload any) answer {
	t.Helper()
	return post(t, s, s.Token(), messagesPath(s), map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": typ, typ: payload,
	})
}

func text(body string) map[string]any { return map[string]any{"body": body} }

func buttons(body string, bs ...[2]string) map[string]any {
	var list []any
	for _, b := range bs {
		list = append(list, map[string]any{"type": "reply", "reply": map[string]any{"id": b[0], "title": b[1]}})
	}
	return map[string]any{"type": "button", "body": map[string]any{"text": body}, "action": map[string]any{"buttons": list}}
}

func list(body, button string, sections ...map[string]any) map[string]any {
	return map[string]any{"type": "list", "body": map[string]any{"text": body},
		"action": map[string]any{"button": button, "sections": sections}}
}

func section(title string, rows ...[3]string) map[string]any {
	var rs []any
	for _, r := range rows {
		rs = append(rs, map[string]any{"id": r[0], "title": r[1], "description": r[2]})
	}
	return map[string]any{"title": title, "rows": rs}
}

func rows(n int) [][3]string {
	var out [][3]string
	for i := range n {
		out = append(out, [3]string{fmt.Sprintf("r%d", i), fmt.Sprintf("Rij %d", i), ""})
	}
	return out
}

func template(name string, params []string, payloads ...string) map[string]any {
	var ps []any
	for _, p := range params {
		ps = append(ps, map[string]any{"type": "text", "text": p})
	}
	comps := []any{map[string]any{"type": "body", "parameters": ps}}
	for i, p := range payloads {
		comps = append(comps, map[string]any{"type": "button", "sub_type": "quick_reply", "index": fmt.Sprint(i),
			"parameters": []any{map[string]any{"type": "payload", "payload": p}}})
	}
	return map[string]any{"name": name, "language": map[string]any{"code": "nl"}, "components": comps}
}

// upload posts a multipart media upload of data declared as mime.
func upload(t *testing.T, s *Server, mime string, data []byte) answer {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", mime)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="chart"`)
	h.Set("Content-Type", mime)
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(data)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/v23.0/"+s.PhoneNumberID()+"/media", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.Token())
	return do(t, req)
}

// receiver is the bot's webhook endpoint in tests: it records every POST and
// answers what status says.
type receiver struct {
	ts     *httptest.Server
	mu     sync.Mutex
	posts  []received
	status func(n int) int // answer to the nth POST, from 1
}

type received struct {
	body      []byte
	signature string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: func(int) int { return http.StatusOK }}
	r.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, received{body: body, signature: req.Header.Get(SignatureHeader)})
		n, status := len(r.posts), r.status
		r.mu.Unlock()
		w.WriteHeader(status(n))
	}))
	t.Cleanup(r.ts.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.posts...)
}

// started is a server with a webhook set and the resident's window open.
func started(t *testing.T) (*Server, *receiver) {
	t.Helper()
	s := Start(t)
	r := newReceiver(t)
	s.SetWebhook(r.ts.URL, "app-secret")
	s.SendText(resident, "hallo")
	return s, r
}

// clock is a settable clock for SetNow.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// kindOf keeps the deliveries of one kind.
func kindOf(ds []Delivery, kind string) []Delivery {
	var out []Delivery
	for _, d := range ds {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}
