package telegramtest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // register decoders: sendPhoto must read the image's size
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"
)

// Photo limits from https://core.telegram.org/bots/api#sendphoto: "The photo's width
// and height must not exceed 10000 in total. Width and height ratio must be at most 20."
const (
	maxPhotoSides = 10000
	maxPhotoRatio = 20
)

// sendPhoto implements https://core.telegram.org/bots/api#sendphoto. An uploaded photo
// must be a PNG, JPEG or GIF image, or it is refused as Telegram refuses it.
func (s *Server) sendPhoto(req *request) (any, *apiError) {
	return s.sendFile(req, "photo")
}

// sendDocument implements https://core.telegram.org/bots/api#senddocument.
func (s *Server) sendDocument(req *request) (any, *apiError) {
	return s.sendFile(req, "document")
}

func (s *Server) sendFile(req *request, kind string) (any, *apiError) {
	if aerr := checkChat(req); aerr != nil {
		return nil, aerr
	}
	caption, parseMode := req.params["caption"], req.params["parse_mode"]
	if aerr := checkCaption(caption, parseMode); aerr != nil {
		return nil, aerr
	}
	kb, err := parseReplyMarkup(req.params["reply_markup"])
	if err != nil {
		return nil, refuse("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, aerr := s.resolveFileLocked(req, kind)
	if aerr != nil {
		return nil, aerr
	}
	s.keepLocked(kind, f)
	c := s.chatLocked(req.chatID)
	m := &sentMessage{id: c.newMessageID(), method: req.method, date: time.Now(), text: caption, parseMode: parseMode, kb: kb}
	if kind == "photo" {
		m.photo = f
	} else {
		m.document = f
	}
	c.add(m)
	return s.messageJSONLocked(c, m.id), nil
}

// resolveFileLocked finds the file of a send call: a multipart upload under the
// field named kind, or the kind parameter (file_id, HTTP URL or attach://<part>).
func (s *Server) resolveFileLocked(req *request, kind string) (*File, *apiError) {
	if up, ok := req.files[kind]; ok {
		return s.fileLocked(kind, &up, "")
	}
	ref := req.params[kind]
	if ref == "" {
		return nil, badRequest("there is no %s in the request", kind)
	}
	if name, ok := strings.CutPrefix(ref, "attach://"); ok {
		up, ok := req.files[name]
		if !ok {
			return nil, badRequest("there is no %s in the request", kind)
		}
		return s.fileLocked(kind, &up, "")
	}
	return s.fileLocked(kind, nil, ref)
}

// fileLocked checks an upload (up) or an earlier file named by ref: a file_id of
// an earlier upload, or an HTTP URL, which the fake records without fetching. An
// upload gets its file_id only when keep is called, so that a refused album
// stores nothing.
func (s *Server) fileLocked(kind string, up *upload, ref string) (*File, *apiError) {
	if up != nil {
		if len(up.bytes) == 0 {
			return nil, refuse("file must be non-empty")
		}
		if kind == "photo" {
			if aerr := checkPhoto(up.bytes); aerr != nil {
				return nil, aerr
			}
		}
		return &File{Name: up.name, Size: len(up.bytes), Bytes: up.bytes, Uploaded: true}, nil
	}
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return &File{Name: ref}, nil
	}
	f, ok := s.files[ref]
	if !ok {
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	if !strings.HasPrefix(ref, kind+"-") {
		return nil, badRequest("can't use file of type %s as %s", strings.SplitN(ref, "-", 2)[0], kind)
	}
	f.Uploaded = false
	return &f, nil
}

// keepLocked gives a new upload or URL its file_id; a file sent again by file_id
// keeps the one it has.
func (s *Server) keepLocked(kind string, f *File) {
	if f.FileID != "" {
		return
	}
	f.FileID = s.newFileIDLocked(kind)
	s.files[f.FileID] = *f
}

func (s *Server) newFileIDLocked(kind string) string {
	s.nextFile++
	return fmt.Sprintf("%s-%d", kind, s.nextFile)
}

func checkPhoto(b []byte) *apiError {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return refuse("IMAGE_PROCESS_FAILED")
	}
	long, short := max(cfg.Width, cfg.Height), min(cfg.Width, cfg.Height)
	if cfg.Width+cfg.Height > maxPhotoSides || long > maxPhotoRatio*short {
		return refuse("PHOTO_INVALID_DIMENSIONS")
	}
	return nil
}

func photoSize(f File) wirePhotoSize {
	ps := wirePhotoSize{FileID: f.FileID, FileUniqueID: "u" + f.FileID, FileSize: f.Size}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Bytes)); err == nil {
		ps.Width, ps.Height = cfg.Width, cfg.Height
	}
	return ps
}

func document(f File) *wireDocument {
	mimeType := mime.TypeByExtension(filepath.Ext(f.Name))
	if mimeType == "" {
		mimeType = http.DetectContentType(f.Bytes)
	}
	mimeType, _, _ = strings.Cut(mimeType, ";")
	return &wireDocument{FileID: f.FileID, FileUniqueID: "u" + f.FileID, FileName: filepath.Base(f.Name), MIMEType: mimeType, FileSize: f.Size}
}
