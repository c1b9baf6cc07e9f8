package telegramtest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Album limits (https://core.telegram.org/bots/api#sendmediagroup): media is "a
// JSON-serialized array describing messages to be sent, must include 2-10 items";
// "documents and audio files can be only grouped in an album with messages of the
// same type"; each item's caption is "0-1024 characters after entities parsing"
// (#inputmediaphoto). Telegram's own server sends a single item as a plain message;
// the fake holds the bot to the documented 2–10, erring on the strict side.
const (
	minAlbum = 2
	maxAlbum = 10
)

// inputMedia is one item of sendMediaGroup's media parameter
// (https://core.telegram.org/bots/api#inputmedia), the fields the fake reads.
type inputMedia struct {
	Type      string `json:"type"`
	Media     string `json:"media"`
	Caption   string `json:"caption"`
	ParseMode string `json:"parse_mode"`
}

// sendMediaGroup implements https://core.telegram.org/bots/api#sendmediagroup for
// photos and documents: every item becomes a message of its own, all sharing one
// media_group_id, and the answer is the array of those messages in order. Files
// come as multipart parts named by "attach://<part>", as file_ids of earlier
// uploads, or as URLs. An album that fails any check sends and stores nothing.
//
// Rate limits: the album is one request, and Seq, Calls and MaxRate count it
// once. But it delivers one message per item, and Telegram's flood control counts
// messages: its FAQ (core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this)
// speaks of messages per chat and per second and says nothing of albums, while the
// Bot API server sends an album as that many messages and reports flood control per
// item ("failed to send message #2 with the error message \"Too Many Requests: retry
// after 8\""). So Request.Messages is the number of items, and MaxMessageRate counts
// each item against its chat.
func (s *Server) sendMediaGroup(req *request) (any, *apiError) {
	if aerr := checkChat(req); aerr != nil {
		return nil, aerr
	}
	raw, ok := req.params["media"]
	if !ok {
		return nil, badRequest("parameter \"media\" is required")
	}
	if req.params["reply_markup"] != "" {
		// an album carries no keyboard; the real server ignores one, the fake refuses
		return nil, refuse("reply markup is not allowed in sendMediaGroup")
	}
	var items []inputMedia
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return nil, badRequest("can't parse media JSON object")
	}
	switch {
	case len(items) == 0:
		return nil, refuse("there are no messages to send")
	case len(items) < minAlbum:
		return nil, refuse("media must include %d-%d items", minAlbum, maxAlbum)
	case len(items) > maxAlbum:
		return nil, refuse("too many messages to send as an album")
	}
	documents := 0
	for _, it := range items {
		switch it.Type {
		case "photo":
		case "document":
			documents++
		default:
			return nil, badRequest("can't parse InputMedia: type %q is unsupported", it.Type)
		}
		if aerr := checkCaption(it.Caption, it.ParseMode); aerr != nil {
			return nil, aerr
		}
	}
	if documents > 0 && documents < len(items) {
		return nil, refuse("document can't be mixed with other media types")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	files := make([]*File, len(items))
	for i, it := range items {
		f, aerr := s.albumFileLocked(req, it)
		if aerr != nil {
			return nil, aerr
		}
		files[i] = f
	}
	c := s.chatLocked(req.chatID)
	s.nextFile++
	group := strconv.FormatInt(int64(13_000_000_000+s.nextFile), 10)
	out := make([]*wireMessage, len(items))
	for i, it := range items {
		s.keepLocked(it.Type, files[i])
		m := &sentMessage{id: c.newMessageID(), method: req.method, date: time.Now(), text: it.Caption,
			parseMode: it.ParseMode, album: group}
		if it.Type == "photo" {
			m.photo = files[i]
		} else {
			m.document = files[i]
		}
		c.add(m)
		out[i] = s.messageJSONLocked(c, m.id)
	}
	return out, nil
}

// albumFileLocked resolves one item's media: "attach://<part>" names a multipart
// part of the request, anything else is a file_id or URL.
func (s *Server) albumFileLocked(req *request, it inputMedia) (*File, *apiError) {
	if name, ok := strings.CutPrefix(it.Media, "attach://"); ok {
		up, ok := req.files[name]
		if !ok {
			return nil, badRequest("can't parse InputMedia: media not found")
		}
		return s.fileLocked(it.Type, &up, "")
	}
	if it.Media == "" {
		return nil, badRequest("can't parse InputMedia: media not found")
	}
	return s.fileLocked(it.Type, nil, it.Media)
}

// albumSize is the number of messages a send-type call delivers: the items of an
// album, else one.
func albumSize(req *request) int {
	if !strings.EqualFold(req.method, "sendMediaGroup") {
		return 1
	}
	var items []json.RawMessage
	if json.Unmarshal([]byte(req.params["media"]), &items) != nil || len(items) == 0 {
		return 1
	}
	return len(items)
}
