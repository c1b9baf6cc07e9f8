// Package whatsapp is the WhatsApp channel on Meta's WhatsApp Business Cloud API:
// the webhook and its inbox in Redis (inbox.go), sending (send.go, media.go), and
// the 24-hour window with its templates (window.go). This file reads the webhook:
// the signature check and the notifications' wire format
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the signature of a webhook delivery:
// "sha256=" + hex(HMAC-SHA256(app secret, raw body)).
const SignatureHeader = "X-Hub-Signature-256"

// Verify reports whether sig (the SignatureHeader's value) signs body with the
// app secret. It compares in constant time, and is to be called on the raw body
// before anything parses it.
func Verify(appSecret string, body []byte, sig string) bool {
	hexSum, ok := strings.CutPrefix(sig, "sha256=")
	if !ok || appSecret == "" {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Inbound is one message a resident sent, as a webhook notification carries it.
type Inbound struct {
	// ID is the message's wamid: Meta delivers a notification more than once, and
	// the id is what a duplicate is known by.
	ID string
	// From is the resident: the wa_id (phone number), or where a payload carries
	// none (a resident with a username) the business-scoped user id.
	From string
	// Name is the profile name WhatsApp shows (never stored).
	Name string
	At   time.Time
	// Type is the message type: text, interactive, button, or another (image,
	// audio, …) that the conversation cannot take.
	Type string
	// Text is a text message's body, or the title of the button or row pressed.
	Text string
	// Reply is the id of the reply button or list row pressed (interactive), or
	// the payload of a template's quick-reply button (button).
	Reply string
	// Context is the id of the message the button or row was on.
	Context string
	// PhoneNumberID is the business number the message was sent to.
	PhoneNumberID string
}

// Status is what became of a message the bot sent.
type Status struct {
	ID        string // the sent message's wamid
	Status    string // sent, delivered, read or failed
	Recipient string
	At        time.Time
	Errors    []Error // with failed
}

// Error is an error of a failed status.
type Error struct {
	Code    int
	Title   string
	Message string
}

// Parse reads a webhook notification: the residents' messages and the statuses of
// sent messages, in the order they came. A body that is not a WhatsApp Business
// Account notification is an error; changes of another field (templates, account
// updates) are passed over.
func Parse(body []byte) ([]Inbound, []Status, error) {
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, nil, fmt.Errorf("whatsapp webhook: %w", err)
	}
	if n.Object != "whatsapp_business_account" {
		return nil, nil, fmt.Errorf("whatsapp webhook: object %q, want whatsapp_business_account", n.Object)
	}
	var ins []Inbound
	var sts []Status
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			v := c.Value
			names := map[string]string{}
			for _, ct := range v.Contacts {
				names[ct.WaID] = ct.Profile.Name
				if ct.UserID != "" {
					names[ct.UserID] = ct.Profile.Name
				}
			}
			for _, m := range v.Messages {
				in, err := m.inbound(v)
				if err != nil {
					return nil, nil, err
				}
				in.Name = names[in.From]
				ins = append(ins, in)
			}
			for _, s := range v.Statuses {
				st, err := s.status()
				if err != nil {
					return nil, nil, err
				}
				sts = append(sts, st)
			}
		}
	}
	return ins, sts, nil
}

type notification struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type value struct {
	Metadata struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID   string `json:"wa_id"`
		UserID string `json:"user_id"`
	} `json:"contacts"`
	Messages []message    `json:"messages"`
	Statuses []wireStatus `json:"statuses"`
}

type message struct {
	From       string `json:"from"`
	FromUserID string `json:"from_user_id"`
	ID         string `json:"id"`
	Timestamp  string `json:"timestamp"`
	Type       string `json:"type"`
	Context    *struct {
		ID string `json:"id"`
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive *struct {
		Type        string `json:"type"`
		ButtonReply *reply `json:"button_reply"`
		ListReply   *reply `json:"list_reply"`
	} `json:"interactive"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
}

type reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type wireStatus struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code    int    `json:"code"`
		Title   string `json:"title"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (m message) inbound(v value) (Inbound, error) {
	in := Inbound{ID: m.ID, From: m.From, Type: m.Type, PhoneNumberID: v.Metadata.PhoneNumberID}
	if in.From == "" {
		in.From = m.FromUserID
	}
	if in.From == "" && len(v.Contacts) == 1 {
		in.From = v.Contacts[0].UserID
	}
	if in.ID == "" || in.From == "" {
		return Inbound{}, fmt.Errorf("whatsapp webhook: message without id or sender")
	}
	at, err := unixSeconds(m.Timestamp)
	if err != nil {
		return Inbound{}, fmt.Errorf("whatsapp webhook: message %s: %w", m.ID, err)
	}
	in.At = at
	if m.Context != nil {
		in.Context = m.Context.ID
	}
	switch m.Type {
	case "text":
		if m.Text == nil {
			return Inbound{}, fmt.Errorf("whatsapp webhook: text message %s without text", m.ID)
		}
		in.Text = m.Text.Body
	case "interactive":
		var r *reply
		if m.Interactive != nil {
			r = m.Interactive.ButtonReply
			if r == nil {
				r = m.Interactive.ListReply
			}
		}
		if r == nil || r.ID == "" {
			return Inbound{}, fmt.Errorf("whatsapp webhook: interactive message %s without a reply", m.ID)
		}
		in.Reply, in.Text = r.ID, r.Title
	case "button":
		if m.Button == nil {
			return Inbound{}, fmt.Errorf("whatsapp webhook: button message %s without a button", m.ID)
		}
		in.Reply, in.Text = m.Button.Payload, m.Button.Text
	}
	return in, nil
}

func (s wireStatus) status() (Status, error) {
	at, err := unixSeconds(s.Timestamp)
	if err != nil {
		return Status{}, fmt.Errorf("whatsapp webhook: status of %s: %w", s.ID, err)
	}
	st := Status{ID: s.ID, Status: s.Status, Recipient: s.RecipientID, At: at}
	for _, e := range s.Errors {
		st.Errors = append(st.Errors, Error{Code: e.Code, Title: e.Title, Message: e.Message})
	}
	return st, nil
}

// unixSeconds reads a timestamp as the webhooks give it: unix seconds in a string.
func unixSeconds(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: want unix seconds", s)
	}
	return time.Unix(n, 0), nil
}
