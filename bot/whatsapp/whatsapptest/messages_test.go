package whatsapptest

import (
	"net/http"
	"strings"
	"testing"
)

func TestMessageLimits(t *testing.T) {
	s, _ := started(t)
	s.SetLimits(Limits{})
	long := func(n int) string { return strings.Repeat("é", n) } // two bytes, one character
	tests := []struct {
		name     string
		typ      string
		payload  any
		wantCode int // 0: accepted
	}{
		{"text of 4096 characters", "text", text(long(4096)), 0},
		{"text of 4097 characters", "text", text(long(4097)), CodeInvalidParameter},
		{"empty text", "text", text(""), 131008},
		{"three buttons", "interactive", buttons("Kies", [2]string{"a", "Ja"}, [2]string{"b", "Nee"}, [2]string{"c", "Weet niet"}), 0},
		{"fourth button", "interactive", buttons("Kies", [2]string{"a", "1"}, [2]string{"b", "2"}, [2]string{"c", "3"}, [2]string{"d", "4"}), CodeParameterInvalid},
		{"no button", "interactive", buttons("Kies"), CodeParameterInvalid},
		{"title of 20 characters", "interactive", buttons("Kies", [2]string{"a", long(20)}), 0},
		{"title of 21 characters", "interactive", buttons("Kies", [2]string{"a", strings.Repeat("x", 21)}), CodeParameterInvalid},
		{"button id of 257 characters", "interactive", buttons("Kies", [2]string{strings.Repeat("i", 257), "Ja"}), CodeParameterInvalid},
		{"duplicate button id", "interactive", buttons("Kies", [2]string{"a", "Ja"}, [2]string{"a", "Nee"}), CodeParameterInvalid},
		{"button body of 1024 characters", "interactive", buttons(long(1024), [2]string{"a", "Ja"}), 0},
		{"button body of 1025 characters", "interactive", buttons(long(1025), [2]string{"a", "Ja"}), CodeParameterInvalid},
		{"ten rows in two sections", "interactive", list("Kies", "Opties", section("A", rows(5)...), section("B", rows(10)[5:]...)), 0},
		{"eleventh row", "interactive", list("Kies", "Opties", section("A", rows(6)...), section("B", [3]string{"x", "X", ""}, [3]string{"y", "Y", ""}, [3]string{"z", "Z", ""}, [3]string{"v", "V", ""}, [3]string{"w", "W", ""})), CodeParameterInvalid},
		{"list body of 1024 characters", "interactive", list(strings.Repeat("k", 1024), "Opties", section("A", rows(1)...)), 0},
		{"list body of 1025 characters", "interactive", list(strings.Repeat("k", 1025), "Opties", section("A", rows(1)...)), CodeParameterInvalid},
		{"list button of 21 characters", "interactive", list("Kies", strings.Repeat("b", 21), section("A", rows(1)...)), CodeParameterInvalid},
		{"row title of 25 characters", "interactive", list("Kies", "Opties", section("A", [3]string{"r", strings.Repeat("t", 25), ""})), CodeParameterInvalid},
		{"row description of 73 characters", "interactive", list("Kies", "Opties", section("A", [3]string{"r", "T", strings.Repeat("d", 73)})), CodeParameterInvalid},
		{"row id of 201 characters", "interactive", list("Kies", "Opties", section("A", [3]string{strings.Repeat("r", 201), "T", ""})), CodeParameterInvalid},
		{"eleven sections", "interactive", list("Kies", "Opties", func() []map[string]any {
			var out []map[string]any
			for i := range 11 {
				out = append(out, section(string(rune('A'+i)), [3]string{string(rune('a' + i)), "T", ""}))
			}
			return out
		}()...), CodeParameterInvalid},
		{"two sections, one untitled", "interactive", list("Kies", "Opties", section("", rows(1)...), section("B", [3]string{"x", "X", ""})), 131008},
		{"misspelt key", "text", map[string]any{"body": "hoi", "preview_ulr": true}, CodeInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, resident, tt.typ, tt.payload)
			if got := a.code(); got != tt.wantCode {
				t.Fatalf("got code %d (%+v), want %d", got, a.Error, tt.wantCode)
			}
			if tt.wantCode == 0 {
				if a.Status != http.StatusOK || !strings.HasPrefix(a.messageID(), "wamid.") || a.MessagingProduct != "whatsapp" {
					t.Fatalf("got %+v, want 200 with a wamid", a)
				}
				if len(a.Contacts) != 1 || a.Contacts[0].WaID != resident || a.Contacts[0].Input != resident {
					t.Fatalf("got contacts %+v, want input and wa_id %s", a.Contacts, resident)
				}
				return
			}
			assertGraphError(t, a, http.StatusBadRequest, tt.wantCode)
		})
	}
}

// assertGraphError checks the documented error envelope.
func assertGraphError(t *testing.T, a answer, status, code int) {
	t.Helper()
	if a.Status != status {
		t.Errorf("got HTTP %d, want %d", a.Status, status)
	}
	e := a.Error
	if e == nil {
		t.Fatalf("got no error object, want code %d", code)
	}
	if e.Code != code || e.Type != "OAuthException" || e.FBTraceID == "" || !strings.HasPrefix(e.Message, "(#") {
		t.Errorf("got error %+v, want code %d, type OAuthException, a fbtrace_id and a (#code) message", e, code)
	}
	if e.ErrorData == nil || e.ErrorData.MessagingProduct != "whatsapp" || e.ErrorData.Details == "" {
		t.Errorf("got error_data %+v, want messaging_product whatsapp and details", e.ErrorData)
	}
}

func TestAuthAndPath(t *testing.T) {
	s := Start(t)
	body := map[string]any{"messaging_product": "whatsapp", "to": resident, "type": "text", "text": text("hoi")}
	tests := []struct {
		name        string
		token, path string
		wantStatus  int
		wantCode    int
		wantSubcode int
		wantType    string
	}{
		{"wrong token", "nope", messagesPath(s), http.StatusUnauthorized, 190, 0, "OAuthException"},
		{"no token", "", messagesPath(s), http.StatusUnauthorized, 190, 0, "OAuthException"},
		{"unknown phone number id", s.Token(), "/v23.0/999/messages", http.StatusBadRequest, 100, 33, "GraphMethodException"},
		{"no version", s.Token(), "/" + s.PhoneNumberID() + "/messages", http.StatusBadRequest, 2500, 0, "OAuthException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := post(t, s, tt.token, tt.path, body)
			if a.Status != tt.wantStatus || a.Error == nil || a.Error.Code != tt.wantCode || a.Error.Subcode != tt.wantSubcode || a.Error.Type != tt.wantType {
				t.Fatalf("got %d %+v, want %d code %d subcode %d type %s", a.Status, a.Error, tt.wantStatus, tt.wantCode, tt.wantSubcode, tt.wantType)
			}
		})
	}
	calls := s.Calls()
	if len(calls) != len(tests) || calls[0].Status != http.StatusUnauthorized || calls[0].Code != 190 {
		t.Fatalf("got calls %+v, want %d with the first refused 401/190", calls, len(tests))
	}
}

func TestChatRecordsWhatWasSent(t *testing.T) {
	s, _ := started(t)
	s.ApproveTemplate("herinnering", "nl", 1, 1)
	send(t, s, resident, "text", text("Welkom"))
	b := send(t, s, resident, "interactive", buttons("Eens?", [2]string{"yes", "Ja"}, [2]string{"no", "Nee"}))
	send(t, s, resident, "interactive", list("Kies een buurt", "Buurten", section("Noord", [3]string{"n1", "Centrum", "Rond het plein"})))
	send(t, s, resident, "template", template("herinnering", []string{"Parkeren"}, "open-vraag"))
	chat := s.Chat(resident)
	if len(chat) != 4 {
		t.Fatalf("got %d messages, want 4: %+v", len(chat), chat)
	}
	if chat[0].Type != "text" || chat[0].Text != "Welkom" {
		t.Errorf("got %+v, want text Welkom", chat[0])
	}
	if chat[1].MessageID != b.messageID() || chat[1].Interactive != "button" || len(chat[1].Buttons) != 2 || chat[1].Buttons[1] != (Button{"no", "Nee"}) {
		t.Errorf("got %+v, want the two buttons under id %s", chat[1], b.messageID())
	}
	if rs := chat[2].Rows(); chat[2].ListButton != "Buurten" || len(rs) != 1 || rs[0] != (Row{"n1", "Centrum", "Rond het plein"}) {
		t.Errorf("got %+v, want the list with one row", chat[2])
	}
	tpl := chat[3].Template
	if tpl == nil || tpl.Name != "herinnering" || tpl.BodyParams[0] != "Parkeren" || tpl.QuickReplies[0].Payload != "open-vraag" {
		t.Errorf("got template %+v, want herinnering(Parkeren) with payload open-vraag", tpl)
	}
	if last := s.Last(resident); last.MessageID != chat[3].MessageID {
		t.Errorf("got last %s, want %s", last.MessageID, chat[3].MessageID)
	}
}
