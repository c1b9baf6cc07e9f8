package telegram

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// FuzzEvent: any update JSON that getUpdates could return maps without a panic, and a
// mapped event names the update and a user.
func FuzzEvent(f *testing.F) {
	raw, err := os.ReadFile("testdata/updates.json")
	if err != nil {
		f.Fatal(err)
	}
	var resp struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		f.Fatal(err)
	}
	for _, u := range resp.Result {
		f.Add([]byte(u))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var u tgbotapi.Update
		if json.Unmarshal(raw, &u) != nil {
			return
		}
		ev, ok := safeEvent(u)
		if !ok {
			return
		}
		if ev.Problem != "" {
			t.Fatalf("mapping %s panicked: %s", raw, ev.Problem)
		}
		if ev.UpdateID != strconv.Itoa(u.UpdateID) || ev.UserID == "" || ev.Kind == 0 {
			t.Fatalf("mapped %s to %+v", raw, ev)
		}
	})
}
