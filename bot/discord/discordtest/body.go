package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// maxBody bounds a request held in memory; Discord's own upload limit for bots is
// 10 MiB per message.
const maxBody = 32 << 20

// File is a file the bot attached to a message.
type File struct {
	Name  string
	Bytes []byte
}

// parseBody reads a JSON body, or a multipart/form-data body as discordgo's
// MultipartBodyWithJSON builds it: a payload_json part and files[n] parts
// (https://docs.discord.com/developers/reference#uploading-files). It always
// consumes the whole body.
func parseBody(r *http.Request) (payload []byte, files []File, err error) {
	defer func() {
		_, _ = io.Copy(io.Discard, r.Body)
	}()
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		payload, err = io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err == nil && len(payload) > 0 && !json.Valid(payload) {
			err = errors.New("body is not valid JSON")
		}
		return payload, nil, err
	}
	mr := multipart.NewReader(io.LimitReader(r.Body, maxBody), params["boundary"])
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			return payload, files, fmt.Errorf("read multipart body: %w", perr)
		}
		b, rerr := io.ReadAll(part)
		if rerr != nil {
			return payload, files, fmt.Errorf("read part %q: %w", part.FormName(), rerr)
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = b
		case strings.HasPrefix(name, "files["):
			files = append(files, File{Name: part.FileName(), Bytes: b})
		}
	}
	if len(payload) > 0 && !json.Valid(payload) {
		return payload, files, errors.New("payload_json is not valid JSON")
	}
	return payload, files, nil
}

// fields splits a JSON object into its members, so that "absent" and "null" can be
// told apart as Discord's PATCH semantics need.
func fields(payload []byte) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage)
	if len(payload) > 0 {
		_ = json.Unmarshal(payload, &m)
	}
	return m
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}
