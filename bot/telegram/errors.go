package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
)

// classify maps a Bot API failure onto the bot errors the outbox acts on, and returns
// nil for failures that are in fact fine ("message is not modified": a double tap).
// Multipart uploads (sendPhoto, sendDocument) come back with Code 0, so the description
// decides there.
func classify(err error, token string) error {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return redact(err, token) // network trouble: temporary
	}
	code := te.Code
	if code == 0 {
		code = codeOf(te.Message)
	}
	desc := te.Message
	switch {
	case te.RetryAfter > 0 || code == 429:
		return &bot.RateLimitedError{RetryAfter: retryAfter(te.RetryAfter, desc)}
	case code == 400 && strings.Contains(desc, "message is not modified"):
		return nil
	case code == 403, code == 400 && strings.Contains(desc, "chat not found"):
		return fmt.Errorf("%w: %s", bot.ErrRecipientGone, desc)
	case code >= 400 && code < 500:
		return fmt.Errorf("%w: %d %s", bot.ErrPermanent, code, desc)
	}
	return fmt.Errorf("telegram error %d: %s", code, desc)
}

// codeOf reads the status from a description such as "Forbidden: bot was blocked by the user".
func codeOf(desc string) int {
	for prefix, code := range map[string]int{
		"Bad Request": 400, "Unauthorized": 401, "Forbidden": 403, "Not Found": 404,
		"Conflict": 409, "Too Many Requests": 429,
	} {
		if strings.HasPrefix(desc, prefix) {
			return code
		}
	}
	return 0
}

// redact removes the bot token from an error: net/http errors carry the request URL,
// and the token is part of it. A *url.Error keeps its cause (so errors.Is still finds
// context.Canceled) with the URL redacted; anything else becomes plain text.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) && !strings.Contains(ue.Err.Error(), token) {
		return &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, token, "<token>"), Err: ue.Err}
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
}

// retryAfter is the pause a 429 asks for: parameters.retry_after (secs), or without
// it the description's "Too Many Requests: retry after 3"; at least a second, at
// most an hour.
func retryAfter(secs int, desc string) time.Duration {
	if _, after, found := strings.Cut(desc, "retry after "); found && secs <= 0 {
		secs, _ = strconv.Atoi(strings.TrimSpace(after))
	}
	return time.Duration(min(max(secs, 1), 3600)) * time.Second
}
