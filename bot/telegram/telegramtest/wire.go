package telegramtest

import (
	"encoding/json"
	"fmt"
	"unicode/utf16"
)

// The types in this file are the Bot API's JSON objects as documented at
// https://core.telegram.org/bots/api#available-types, limited to the fields the fake
// fills in. They are declared here rather than borrowed from tgbotapi so that the fake
// checks the library against the documented wire format, not against itself.

// envelope is the response object every method returns
// (https://core.telegram.org/bots/api#making-requests).
type envelope struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

// responseParameters tells the client how to recover from an error
// (https://core.telegram.org/bots/api#responseparameters).
type responseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

type wireUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username,omitempty"`
	LanguageCode            string `json:"language_code,omitempty"`
	CanJoinGroups           bool   `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	FirstName string `json:"first_name,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MIMEType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireMessage struct {
	MessageID    int             `json:"message_id"`
	From         *wireUser       `json:"from,omitempty"`
	Date         int64           `json:"date"`
	Chat         wireChat        `json:"chat"`
	EditDate     int64           `json:"edit_date,omitempty"`
	MediaGroupID string          `json:"media_group_id,omitempty"`
	Text         string          `json:"text,omitempty"`
	Entities     []wireEntity    `json:"entities,omitempty"`
	Caption      string          `json:"caption,omitempty"`
	Photo        []wirePhotoSize `json:"photo,omitempty"`
	Document     *wireDocument   `json:"document,omitempty"`
	ReplyMarkup  json.RawMessage `json:"reply_markup,omitempty"`
}

type wireCallbackQuery struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID      int                `json:"update_id"`
	Message       *wireMessage       `json:"message,omitempty"`
	CallbackQuery *wireCallbackQuery `json:"callback_query,omitempty"`
}

// Button is one inline keyboard button as the bot sent it.
type Button struct {
	Text string // label shown to the resident
	Data string // callback_data, empty for URL buttons
	URL  string // url, empty for callback buttons
}

// keyboard is a parsed inline keyboard plus its canonical JSON, which is echoed back in
// Message.reply_markup and compared to detect "message is not modified".
type keyboard struct {
	canonical json.RawMessage
	rows      [][]Button
}

// maxCallbackData is the documented limit on callback_data: "1-64 bytes"
// (https://core.telegram.org/bots/api#inlinekeyboardbutton).
const maxCallbackData = 64

// parseReplyMarkup parses a reply_markup parameter. It returns a nil keyboard for an
// absent markup and for reply keyboards (which the fake accepts but does not track).
func parseReplyMarkup(s string) (*keyboard, error) {
	if s == "" {
		return nil, nil
	}
	var markup map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &markup); err != nil {
		return nil, fmt.Errorf("can't parse reply keyboard markup JSON object")
	}
	raw, ok := markup["inline_keyboard"]
	if !ok {
		return nil, nil // ReplyKeyboardMarkup, ReplyKeyboardRemove or ForceReply
	}
	var rows [][]map[string]any
	if err := json.Unmarshal(raw, &rows); err != nil || rows == nil {
		return nil, fmt.Errorf("can't parse inline keyboard: field \"inline_keyboard\" must be of type Array")
	}
	kb := &keyboard{}
	for _, row := range rows {
		var out []Button
		for _, b := range row {
			btn, err := parseButton(b)
			if err != nil {
				return nil, err
			}
			out = append(out, btn)
		}
		if len(out) > 0 {
			kb.rows = append(kb.rows, out)
		}
	}
	if len(kb.rows) == 0 {
		return nil, nil // an empty inline keyboard removes the keyboard
	}
	canonical, err := json.Marshal(map[string]any{"inline_keyboard": rows})
	if err != nil {
		return nil, err
	}
	kb.canonical = canonical
	return kb, nil
}

func parseButton(b map[string]any) (Button, error) {
	text, _ := b["text"].(string)
	if text == "" {
		return Button{}, fmt.Errorf("can't parse inline keyboard button: Text must be non-empty")
	}
	if len(b) < 2 {
		return Button{}, fmt.Errorf("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	btn := Button{Text: text}
	btn.URL, _ = b["url"].(string)
	if data, ok := b["callback_data"]; ok {
		s, _ := data.(string)
		if s == "" || len(s) > maxCallbackData {
			return Button{}, fmt.Errorf("BUTTON_DATA_INVALID")
		}
		btn.Data = s
	}
	return btn, nil
}

// rows returns a deep copy of the keyboard's buttons, nil for no keyboard.
func (k *keyboard) copyRows() [][]Button {
	if k == nil {
		return nil
	}
	out := make([][]Button, len(k.rows))
	for i, row := range k.rows {
		out[i] = append([]Button(nil), row...)
	}
	return out
}

func (k *keyboard) json() json.RawMessage {
	if k == nil {
		return nil
	}
	return k.canonical
}

func sameKeyboard(a, b *keyboard) bool {
	return string(a.json()) == string(b.json())
}

// utf16Len is a length as the Bot API counts it: entity offsets and lengths are in
// UTF-16 code units (https://core.telegram.org/bots/api#messageentity).
func utf16Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}
