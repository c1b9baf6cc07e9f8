package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxUpload bounds a multipart request held in memory; the Bot API's own limit for
// uploads is 50 MB (https://core.telegram.org/bots/api#sending-files).
const maxUpload = 64 << 20

// upload is one file part of a multipart request.
type upload struct {
	name        string
	contentType string
	bytes       []byte
}

// parseRequest reads the parameters of a call in any of the four ways the Bot API
// accepts them: URL query string, application/x-www-form-urlencoded,
// application/json and multipart/form-data. It always consumes the whole body, so a
// client streaming a multipart upload is never left blocked on an early answer.
func parseRequest(r *http.Request) (map[string]string, map[string]upload, error) {
	defer func() {
		_, _ = io.Copy(io.Discard, r.Body)
	}()
	params := make(map[string]string)
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		return parseMultipart(r, params)
	case "application/json":
		return params, nil, parseJSON(r, params)
	default:
		if err := r.ParseForm(); err != nil {
			return params, nil, fmt.Errorf("can't parse request: %v", err)
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
		return params, nil, nil
	}
}

func parseMultipart(r *http.Request, params map[string]string) (map[string]string, map[string]upload, error) {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return params, nil, fmt.Errorf("can't parse multipart request: %v", err)
	}
	defer func() {
		_ = r.MultipartForm.RemoveAll()
	}()
	for k, v := range r.MultipartForm.Value {
		params[k] = v[0]
	}
	files := make(map[string]upload)
	for field, headers := range r.MultipartForm.File {
		fh := headers[0]
		f, err := fh.Open()
		if err != nil {
			return params, nil, fmt.Errorf("can't read file part %q: %v", field, err)
		}
		b, err := io.ReadAll(f)
		_ = f.Close()
		if err != nil {
			return params, nil, fmt.Errorf("can't read file part %q: %v", field, err)
		}
		files[field] = upload{name: fh.Filename, contentType: fh.Header.Get("Content-Type"), bytes: b}
	}
	return params, files, nil
}

// parseJSON flattens a JSON body into form-style parameters: strings as they are,
// anything else (numbers, objects such as reply_markup) as its JSON text.
func parseJSON(r *http.Request, params map[string]string) error {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return fmt.Errorf("can't parse JSON body: %v", err)
	}
	for k, raw := range body {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			params[k] = s
			continue
		}
		params[k] = string(raw)
	}
	return nil
}
