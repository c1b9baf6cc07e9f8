package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
)

// Send renders a neutral message as Bot API calls. Texts are sent without parse mode,
// so survey and participant text needs no escaping and cannot inject markup; they
// are split and clipped within the channel's Limits (UTF-16 units, see
// DefaultLimits).
func (c *Channel) Send(ctx context.Context, m bot.Message) error {
	chatID, err := strconv.ParseInt(m.To.ChatID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: chat id %q: %w", m.To.ChatID, bot.ErrPermanent)
	}
	markup, err := keyboard(m.Choices, c.cfg.Limits.MaxChoiceData)
	if err != nil {
		return err
	}
	limits := c.cfg.Limits
	switch {
	case len(m.Album) > 0:
		if err := bot.CheckAlbum(m); err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		if len(m.Album) == 1 { // sendMediaGroup takes 2–10 items
			img := m.Album[0]
			return c.sendPhoto(ctx, chatID, bot.Message{Text: img.Alt, Image: &img}, nil)
		}
		return c.sendAlbum(ctx, chatID, m.Album)
	case m.Image != nil:
		return c.sendPhoto(ctx, chatID, m, markup)
	case m.Document != nil:
		d := tgbotapi.NewDocument(chatID, tgbotapi.FileBytes{Name: m.Document.Name, Bytes: m.Document.Data})
		d.Caption = limits.ClipCaption(m.Text)
		if markup != nil {
			d.ReplyMarkup = *markup
		}
		return c.call("sendDocument", d)
	case m.EditRef != "":
		err := c.edit(m.EditRef, m.Text, markup)
		if err == nil || !errors.Is(err, bot.ErrPermanent) {
			return err
		}
		// the message to edit is gone or too old: say it anew instead
		c.log.Info("edit refused, sending a new message", "err", err)
	}
	parts := limits.SplitText(m.Text)
	for i, part := range parts {
		msg := tgbotapi.NewMessage(chatID, part)
		if i == len(parts)-1 && markup != nil {
			msg.ReplyMarkup = *markup
		}
		if err := c.call("sendMessage", msg); err != nil {
			return err
		}
	}
	return nil
}

// sendPhoto sends an image. A shared one (File.Ref) goes by the file_id of its
// first upload when there is one (waiting for an upload under way, fileIDs.begin);
// if Telegram no longer knows that id, it is uploaded again.
func (c *Channel) sendPhoto(ctx context.Context, chatID int64, m bot.Message, markup *tgbotapi.InlineKeyboardMarkup) error {
	photo := func(f tgbotapi.RequestFileData) tgbotapi.PhotoConfig {
		p := tgbotapi.NewPhoto(chatID, f)
		p.Caption = c.cfg.Limits.ClipCaption(m.Text)
		if markup != nil {
			p.ReplyMarkup = *markup
		}
		return p
	}
	ref := m.Image.Ref
	defer c.photos.begin(ctx, []string{ref})()
	if id, ok := c.photos.Load(ref); ok {
		_, err := c.request("sendPhoto", photo(tgbotapi.FileID(id)))
		if err == nil || !errors.Is(err, bot.ErrPermanent) {
			return err
		}
		c.photos.Delete(ref)
		c.log.Info("file_id refused, uploading the image again", "err", err)
	}
	resp, err := c.request("sendPhoto", photo(tgbotapi.FileBytes{Name: m.Image.Name, Bytes: m.Image.Data}))
	if err != nil || resp == nil {
		return err
	}
	var sent tgbotapi.Message
	if json.Unmarshal(resp.Result, &sent) == nil && len(sent.Photo) > 0 {
		c.photos.Store(ref, sent.Photo[len(sent.Photo)-1].FileID) // the largest size
	}
	return nil
}

// sendAlbum sends 2–10 images as one album (sendMediaGroup), each captioned with
// its alt text. Shared images (File.Ref) go by the file_id of their first upload
// when there is one (waiting for an upload under way, fileIDs.begin); if Telegram
// refuses those ids, the album is uploaded again.
func (c *Channel) sendAlbum(ctx context.Context, chatID int64, album []bot.File) error {
	refs := make([]string, len(album))
	for i, f := range album {
		refs[i] = f.Ref
	}
	defer c.photos.begin(ctx, refs)()
	media := func(reuse bool) []interface{} {
		items := make([]interface{}, len(album))
		for i, f := range album {
			var data tgbotapi.RequestFileData = tgbotapi.FileBytes{Name: f.Name, Bytes: f.Data}
			if id, ok := c.photos.Load(f.Ref); ok && reuse {
				data = tgbotapi.FileID(id)
			}
			p := tgbotapi.NewInputMediaPhoto(data)
			p.Caption = c.cfg.Limits.ClipCaption(f.Alt)
			items[i] = p
		}
		return items
	}
	resp, err := c.request("sendMediaGroup", tgbotapi.NewMediaGroup(chatID, media(true)))
	if err != nil && errors.Is(err, bot.ErrPermanent) && c.forget(album) {
		c.log.Info("file_id refused, uploading the album again", "err", err)
		resp, err = c.request("sendMediaGroup", tgbotapi.NewMediaGroup(chatID, media(false)))
	}
	if err != nil || resp == nil {
		return err
	}
	var sent []tgbotapi.Message
	if json.Unmarshal(resp.Result, &sent) != nil || len(sent) != len(album) {
		return nil // sent; only the file_ids are not learnt
	}
	for i, f := range album {
		if f.Ref != "" && len(sent[i].Photo) > 0 {
			c.photos.Store(f.Ref, sent[i].Photo[len(sent[i].Photo)-1].FileID) // the largest size
		}
	}
	return nil
}

// forget drops the file_ids of an album's shared images; false when it had none,
// so that uploading again would change nothing.
func (c *Channel) forget(album []bot.File) bool {
	had := false
	for _, f := range album {
		if c.photos.Delete(f.Ref) {
			had = true
		}
	}
	return had
}

func (c *Channel) edit(ref, text string, markup *tgbotapi.InlineKeyboardMarkup) error {
	chat, msg, ok := strings.Cut(ref, ":")
	chatID, err1 := strconv.ParseInt(chat, 10, 64)
	msgID, err2 := strconv.Atoi(msg)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("telegram: message ref %q: %w", ref, bot.ErrPermanent)
	}
	e := tgbotapi.NewEditMessageText(chatID, msgID, c.cfg.Limits.ClipText(text))
	e.ReplyMarkup = markup // nil removes the keyboard
	return c.call("editMessageText", e)
}

// call makes one API call and classifies its failure. Request, not Send: Send fails to
// decode methods that answer true.
func (c *Channel) call(method string, req tgbotapi.Chattable) error {
	_, err := c.request(method, req)
	return err
}

// request makes a Bot API call and classifies its failure.
func (c *Channel) request(method string, req tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := c.api.Request(req)
	if err == nil {
		return resp, nil
	}
	if cerr := classify(err, c.cfg.Token); cerr != nil {
		return nil, fmt.Errorf("telegram %s: %w", method, cerr)
	}
	return nil, nil
}

func keyboard(rows [][]bot.Choice, maxData int) (*tgbotapi.InlineKeyboardMarkup, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	kb := make([][]tgbotapi.InlineKeyboardButton, 0, len(rows))
	for _, row := range rows {
		btns := make([]tgbotapi.InlineKeyboardButton, 0, len(row))
		for _, ch := range row {
			if len(ch.Data) == 0 || len(ch.Data) > maxData {
				return nil, fmt.Errorf("telegram: button data of %d bytes (max %d): %w", len(ch.Data), maxData, bot.ErrPermanent)
			}
			btns = append(btns, tgbotapi.NewInlineKeyboardButtonData(ch.Label, ch.Data))
		}
		kb = append(kb, btns)
	}
	m := tgbotapi.NewInlineKeyboardMarkup(kb...)
	return &m, nil
}
