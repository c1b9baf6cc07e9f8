package whatsapp

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// Images go by media id (developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media):
// uploaded once with POST /{phone-number-id}/media, the id is reused for every
// resident, for 29 days (Meta keeps an upload 30). A chart shared by many messages
// (File.Ref) is uploaded once across replicas: its id is kept in Redis, and while
// one replica uploads it the others wait for the id (storage.LockUpload).

// uploadLock is how long a replica may take to upload an image before another may.
const uploadLock = 30 * time.Second

// mediaCache holds this replica's known media ids by attachment reference.
type mediaCache struct {
	mu  sync.Mutex
	ids map[string]string
}

func (m *mediaCache) get(ref string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.ids[ref]
	return id, ok
}

func (m *mediaCache) put(ref, id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ids == nil || len(m.ids) > 10_000 {
		m.ids = map[string]string{}
	}
	m.ids[ref] = id
}

func (m *mediaCache) drop(ref string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.ids, ref)
}

// mediaID is the media id of an image: the known one of a shared image, else a new
// upload.
func (c *Channel) mediaID(ctx context.Context, f bot.File) (string, error) {
	if f.Ref == "" {
		return c.upload(ctx, f)
	}
	if id, ok := c.media.get(f.Ref); ok {
		return id, nil
	}
	for waited := time.Duration(0); ; waited += 100 * time.Millisecond {
		id, err := c.store.MediaID(ctx, f.Ref)
		if err != nil {
			return "", err
		}
		if id != "" {
			c.media.put(f.Ref, id)
			return id, nil
		}
		mine, err := c.store.LockUpload(ctx, f.Ref, uploadLock)
		if err != nil {
			return "", err
		}
		if mine {
			// another may have stored the id and let go of the lock since we looked
			if id, err := c.store.MediaID(ctx, f.Ref); err != nil || id != "" {
				if uerr := c.store.UnlockUpload(ctx, f.Ref); uerr != nil {
					c.log.Warn("whatsapp: unlock an upload", "err", uerr)
				}
				if id != "" {
					c.media.put(f.Ref, id)
				}
				return id, err
			}
			break
		}
		if waited >= uploadLock {
			break
		}
		sleep(ctx, 100*time.Millisecond) // another replica uploads it
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
	}
	defer func() {
		if err := c.store.UnlockUpload(context.WithoutCancel(ctx), f.Ref); err != nil {
			c.log.Warn("whatsapp: unlock an upload", "err", err)
		}
	}()
	id, err := c.upload(ctx, f)
	if err != nil {
		return "", err
	}
	if err := c.store.SetMediaID(ctx, f.Ref, id); err != nil {
		c.log.Warn("whatsapp: record a media id (the image is uploaded again next time)", "err", err)
	}
	c.media.put(f.Ref, id)
	return id, nil
}

// forgetMedia drops a media id Meta no longer takes.
func (c *Channel) forgetMedia(ctx context.Context, ref string) {
	c.media.drop(ref)
	if err := c.store.ForgetMediaID(ctx, ref); err != nil {
		c.log.Warn("whatsapp: forget a media id", "err", err)
	}
}

// upload posts an image or a document to the media endpoint and returns its id.
// WhatsApp takes PNG and JPEG images, and of documents (the data export, the
// digest's Markdown) plain text and PDF; an HTML report it does not take.
func (c *Channel) upload(ctx context.Context, f bot.File) (string, error) {
	mime, _, _ := strings.Cut(http.DetectContentType(f.Data), ";")
	switch mime {
	case "image/png", "image/jpeg", "text/plain", "application/pdf":
	default:
		return "", fmt.Errorf("whatsapp: %s is %s, which WhatsApp does not take (PNG, JPEG, plain text or PDF): %w", f.Name, mime, bot.ErrPermanent)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", mime)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", multipart.FileContentDisposition("file", f.Name))
	h.Set("Content-Type", mime)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(f.Data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", fmt.Errorf("whatsapp: encode upload: %w: %w", err, bot.ErrPermanent)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("media"), &buf)
	if err != nil {
		return "", fmt.Errorf("whatsapp: %w: %w", err, bot.ErrPermanent)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var answer struct {
		ID string `json:"id"`
	}
	if err := c.do(req, "media", &answer); err != nil {
		return "", err
	}
	if answer.ID == "" {
		return "", fmt.Errorf("whatsapp media: answer without an id")
	}
	return answer.ID, nil
}
