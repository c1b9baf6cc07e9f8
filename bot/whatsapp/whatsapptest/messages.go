package whatsapptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Message limits of the Messages API, in characters (counted here as runes):
// text messages (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages),
// reply buttons ("up to three predefined replies": interactive-reply-buttons-messages)
// and lists ("up to 10 sections, with up to 10 rows for all sections combined":
// interactive-list-messages).
const (
	maxTextBody        = 4096
	maxButtons         = 3
	maxButtonTitle     = 20
	maxButtonID        = 256
	maxButtonsBody     = 1024
	maxListBody        = 1024 // as reply buttons: the InteractiveObject reference of Meta's WhatsApp Node.js SDK
	maxListButton      = 20
	maxSections        = 10
	maxRows            = 10
	maxSectionTitle    = 24
	maxRowTitle        = 24
	maxRowDescription  = 72
	maxRowID           = 200
	maxHeaderFooter    = 60
	maxCaption         = 1024
	maxRequestBodySize = 1 << 20
)

// wireSend is the Messages API request body.
type wireSend struct {
	MessagingProduct string           `json:"messaging_product"`
	RecipientType    string           `json:"recipient_type"`
	To               string           `json:"to"`
	Type             string           `json:"type"`
	Context          *wireSendContext `json:"context"`
	Text             *wireText        `json:"text"`
	Interactive      *wireInteractive `json:"interactive"`
	Image            *wireMediaObject `json:"image"`
	Document         *wireMediaObject `json:"document"`
	Template         *wireTemplate    `json:"template"`
}

type wireSendContext struct {
	MessageID string `json:"message_id"`
}

type wireText struct {
	Body       string `json:"body"`
	PreviewURL bool   `json:"preview_url,omitempty"`
}

type wireInteractive struct {
	Type   string        `json:"type"`
	Header *wireHeader   `json:"header"`
	Body   *wireBodyText `json:"body"`
	Footer *wireBodyText `json:"footer"`
	Action *wireAction   `json:"action"`
}

// wireBodyText is an interactive message's body or footer.
type wireBodyText struct {
	Text string `json:"text"`
}

type wireHeader struct {
	Type  string           `json:"type"`
	Text  string           `json:"text"`
	Image *wireMediaObject `json:"image"`
}

type wireAction struct {
	Buttons  []wireButton  `json:"buttons"`
	Button   string        `json:"button"`
	Sections []wireSection `json:"sections"`
}

type wireButton struct {
	Type  string `json:"type"`
	Reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

type wireSection struct {
	Title string    `json:"title"`
	Rows  []wireRow `json:"rows"`
}

type wireRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type wireMediaObject struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"` // documents
}

type wireTemplate struct {
	Name     string `json:"name"`
	Language struct {
		Code   string `json:"code"`
		Policy string `json:"policy"`
	} `json:"language"`
	Components []wireComponent `json:"components"`
}

type wireComponent struct {
	Type       string          `json:"type"`
	SubType    string          `json:"sub_type"`
	Index      string          `json:"index"`
	Parameters []wireParameter `json:"parameters"`
}

type wireParameter struct {
	Type    string `json:"type"`
	Text    string `json:"text"`
	Payload string `json:"payload"`
}

// wireSent is the Messages API's answer to an accepted message.
type wireSent struct {
	MessagingProduct string `json:"messaging_product"`
	Contacts         []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// sendMessage implements POST /{version}/{PHONE_NUMBER_ID}/messages.
func (s *Server) sendMessage(r *http.Request, call *Call) (any, *graphError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBodySize))
	if err != nil {
		return nil, invalidParameter("could not read the request body")
	}
	var m wireSend
	dec := json.NewDecoder(bytes.NewReader(raw))
	// The Graph API refuses keys it does not know ("Unexpected key … on param …"),
	// which catches a misspelt field that would otherwise be dropped silently.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, invalidParameter("Invalid JSON body: %v", err)
	}
	if m.MessagingProduct != "whatsapp" {
		return nil, invalidParameter("The parameter messaging_product is required and must be \"whatsapp\".")
	}
	if m.RecipientType != "" && m.RecipientType != "individual" {
		return nil, invalidParameter("Param recipient_type must be \"individual\".")
	}
	waID, ok := waIDOf(m.To)
	if !ok {
		return nil, invalidParameter("Param to must be a phone number in international format, got %q.", m.To)
	}
	call.To, call.Type = waID, m.Type
	sent, gerr := parseMessage(&m)
	if gerr != nil {
		return nil, gerr
	}
	sent.To = waID
	if m.Context != nil {
		sent.ReplyTo = m.Context.MessageID
	}
	id, gerr := s.accept(sent)
	if gerr != nil {
		return nil, gerr
	}
	var out wireSent
	out.MessagingProduct = "whatsapp"
	out.Contacts = append(out.Contacts, struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	}{m.To, waID})
	out.Messages = append(out.Messages, struct {
		ID string `json:"id"`
	}{id})
	return out, nil
}

// waIDOf is the WhatsApp id of a phone number: its digits, "+31 6 12345678" →
// "31612345678" (E.164 has at most 15 digits).
func waIDOf(to string) (string, bool) {
	var b strings.Builder
	for _, c := range to {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '+' || c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	n := b.Len()
	return b.String(), n >= 7 && n <= 15
}

// parseMessage validates the message against the documented limits and turns it
// into a Sent without id, time or recipient.
func parseMessage(m *wireSend) (*Sent, *graphError) {
	present := 0
	for _, p := range []bool{m.Text != nil, m.Interactive != nil, m.Image != nil, m.Document != nil, m.Template != nil} {
		if p {
			present++
		}
	}
	if present != 1 {
		return nil, invalidParameter("Exactly one of text, interactive, image, document or template must be given, matching type.")
	}
	switch m.Type {
	case "text", "":
		// "type … Default: text"
		if m.Text == nil {
			return nil, invalidParameter("Param text is required for type text.")
		}
		return parseText(m.Text)
	case "interactive":
		if m.Interactive == nil {
			return nil, invalidParameter("Param interactive is required for type interactive.")
		}
		return parseInteractive(m.Interactive)
	case "image":
		if m.Image == nil {
			return nil, invalidParameter("Param image is required for type image.")
		}
		return parseImage(m.Image)
	case "document":
		if m.Document == nil {
			return nil, invalidParameter("Param document is required for type document.")
		}
		sent, err := parseImage(m.Document)
		if err != nil {
			return nil, err
		}
		sent.Type, sent.Filename = "document", m.Document.Filename
		return sent, nil
	case "template":
		if m.Template == nil {
			return nil, invalidParameter("Param template is required for type template.")
		}
		return parseTemplate(m.Template)
	}
	return nil, apiError(131051, "Message type "+m.Type+" is not supported by whatsapptest.")
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func parseText(t *wireText) (*Sent, *graphError) {
	if t.Body == "" {
		return nil, apiError(131008, "Param text['body'] is required.")
	}
	if runes(t.Body) > maxTextBody {
		return nil, invalidParameter("Param text['body'] must be at most %d characters long.", maxTextBody)
	}
	return &Sent{Type: "text", Text: t.Body}, nil
}

func parseImage(im *wireMediaObject) (*Sent, *graphError) {
	if (im.ID == "") == (im.Link == "") {
		return nil, invalidParameter("Param image must have exactly one of id or link.")
	}
	if im.Link != "" && !strings.HasPrefix(im.Link, "https://") && !strings.HasPrefix(im.Link, "http://") {
		return nil, invalidParameter("Param image['link'] must be an http or https URL.")
	}
	if runes(im.Caption) > maxCaption {
		return nil, invalidParameter("Param image['caption'] must be at most %d characters long.", maxCaption)
	}
	return &Sent{Type: "image", MediaID: im.ID, Link: im.Link, Text: im.Caption}, nil
}

func parseInteractive(in *wireInteractive) (*Sent, *graphError) {
	if in.Body == nil || in.Body.Text == "" {
		return nil, apiError(131008, "Param interactive['body']['text'] is required.")
	}
	if in.Action == nil {
		return nil, apiError(131008, "Param interactive['action'] is required.")
	}
	sent := &Sent{Type: "interactive", Interactive: in.Type, Text: in.Body.Text}
	if in.Header != nil {
		if in.Header.Type != "text" || in.Header.Text == "" {
			return nil, parameterInvalid("whatsapptest supports text headers only.")
		}
		if runes(in.Header.Text) > maxHeaderFooter {
			return nil, parameterInvalid("Header text length invalid. Max length: %d", maxHeaderFooter)
		}
		sent.Header = in.Header.Text
	}
	if in.Footer != nil {
		if runes(in.Footer.Text) > maxHeaderFooter {
			return nil, parameterInvalid("Footer text length invalid. Max length: %d", maxHeaderFooter)
		}
		sent.Footer = in.Footer.Text
	}
	switch in.Type {
	case "button":
		return sent, parseButtons(sent, in.Action)
	case "list":
		return sent, parseList(sent, in.Action)
	}
	return nil, parameterInvalid("Interactive type %q is not supported by whatsapptest.", in.Type)
}

func parseButtons(sent *Sent, a *wireAction) *graphError {
	if runes(sent.Text) > maxButtonsBody {
		return parameterInvalid("Body text length invalid. Max length: %d", maxButtonsBody)
	}
	if n := len(a.Buttons); n < 1 || n > maxButtons {
		return parameterInvalid("Buttons count invalid. Min: 1, Max: %d, got %d", maxButtons, n)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for _, b := range a.Buttons {
		id, title := b.Reply.ID, b.Reply.Title
		switch {
		case b.Type != "reply":
			return parameterInvalid("Button type must be reply.")
		case id == "" || runes(id) > maxButtonID:
			return parameterInvalid("Button id length invalid. Min length: 1, Max length: %d", maxButtonID)
		case title == "" || runes(title) > maxButtonTitle:
			return parameterInvalid("Button title length invalid. Min length: 1, Max length: %d", maxButtonTitle)
		case ids[id]:
			return parameterInvalid("Button id %q is not unique.", id)
		case titles[title]:
			return parameterInvalid("Button title %q is not unique.", title)
		}
		ids[id], titles[title] = true, true
		sent.Buttons = append(sent.Buttons, Button{ID: id, Title: title})
	}
	return nil
}

func parseList(sent *Sent, a *wireAction) *graphError {
	if runes(sent.Text) > maxListBody {
		return parameterInvalid("Body text length invalid. Max length: %d", maxListBody)
	}
	if a.Button == "" || runes(a.Button) > maxListButton {
		return parameterInvalid("Button text length invalid. Min length: 1, Max length: %d", maxListButton)
	}
	sent.ListButton = a.Button
	if n := len(a.Sections); n < 1 || n > maxSections {
		return parameterInvalid("Sections count invalid. Min: 1, Max: %d, got %d", maxSections, n)
	}
	rows, ids := 0, map[string]bool{}
	for _, sec := range a.Sections {
		if len(a.Sections) > 1 && sec.Title == "" {
			return apiError(131008, "Section title is required when there is more than one section.")
		}
		if runes(sec.Title) > maxSectionTitle {
			return parameterInvalid("Section title length invalid. Max length: %d", maxSectionTitle)
		}
		out := Section{Title: sec.Title}
		for _, r := range sec.Rows {
			rows++
			switch {
			case rows > maxRows:
				return parameterInvalid("Total row count exceed max allowed count: %d", maxRows)
			case r.ID == "" || runes(r.ID) > maxRowID:
				return parameterInvalid("Row id length invalid. Min length: 1, Max length: %d", maxRowID)
			case r.Title == "" || runes(r.Title) > maxRowTitle:
				return parameterInvalid("Row title length invalid. Min length: 1, Max length: %d", maxRowTitle)
			case runes(r.Description) > maxRowDescription:
				return parameterInvalid("Row description length invalid. Max length: %d", maxRowDescription)
			case ids[r.ID]:
				return parameterInvalid("Row id %q is not unique.", r.ID)
			}
			ids[r.ID] = true
			out.Rows = append(out.Rows, Row{ID: r.ID, Title: r.Title, Description: r.Description})
		}
		if len(out.Rows) == 0 {
			return apiError(131008, "Each section needs at least one row.")
		}
		sent.Sections = append(sent.Sections, out)
	}
	return nil
}

func parseTemplate(t *wireTemplate) (*Sent, *graphError) {
	if t.Name == "" || t.Language.Code == "" {
		return nil, apiError(131008, "Params template['name'] and template['language']['code'] are required.")
	}
	tpl := &Template{Name: t.Name, Language: t.Language.Code}
	for _, c := range t.Components {
		switch c.Type {
		case "body":
			for _, p := range c.Parameters {
				if p.Type != "text" {
					return nil, parameterInvalid("Body parameters must be of type text in whatsapptest.")
				}
				tpl.BodyParams = append(tpl.BodyParams, p.Text)
			}
		case "button":
			if c.SubType != "quick_reply" || len(c.Parameters) != 1 || c.Parameters[0].Type != "payload" {
				return nil, parameterInvalid("Button components must be sub_type quick_reply with one payload parameter.")
			}
			tpl.QuickReplies = append(tpl.QuickReplies, QuickReply{Index: c.Index, Payload: c.Parameters[0].Payload})
		default:
			return nil, parameterInvalid("Component type %q is not supported by whatsapptest.", c.Type)
		}
	}
	return &Sent{Type: "template", Template: tpl}, nil
}
