package telegramtest

import (
	"html"
	"regexp"
	"strings"
)

// Length limits, counted after entities parsing: message text "1-4096 characters"
// (https://core.telegram.org/bots/api#sendmessage), caption "0-1024 characters"
// (https://core.telegram.org/bots/api#sendphoto). The fake counts UTF-16 code units,
// the unit of entity offsets, which errs on the strict side for emoji.
const (
	maxTextLength    = 4096
	maxCaptionLength = 1024
)

// htmlTags are the tags of the HTML parse mode
// (https://core.telegram.org/bots/api#html-style); any other tag is refused.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "tg-emoji": true, "code": true, "pre": true, "blockquote": true,
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// checkText validates a message text as sendMessage and editMessageText do.
func checkText(text, parseMode string) *apiError {
	if aerr := checkMarkup(text, parseMode); aerr != nil {
		return aerr
	}
	visible := visibleText(text, parseMode)
	if strings.TrimSpace(visible) == "" {
		return refuse("message text is empty")
	}
	if utf16Len(visible) > maxTextLength {
		return refuse("message is too long")
	}
	return nil
}

// checkCaption validates a media caption, which may be empty.
func checkCaption(caption, parseMode string) *apiError {
	if aerr := checkMarkup(caption, parseMode); aerr != nil {
		return aerr
	}
	if utf16Len(visibleText(caption, parseMode)) > maxCaptionLength {
		return refuse("message caption is too long")
	}
	return nil
}

// visibleText is the text a resident sees. Only the HTML parse mode is rendered;
// Markdown texts are counted with their markup, again erring on the strict side.
func visibleText(text, parseMode string) string {
	if !strings.EqualFold(parseMode, "HTML") {
		return text
	}
	return html.UnescapeString(tagPattern.ReplaceAllString(text, ""))
}

// checkMarkup refuses HTML that Telegram cannot parse: unsupported tags (<br>, <p>, a
// stray "<" from unescaped user input) and unbalanced ones. Markdown is not checked.
func checkMarkup(text, parseMode string) *apiError {
	if !strings.EqualFold(parseMode, "HTML") {
		return nil
	}
	var open []string
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		end := strings.IndexByte(text[i:], '>')
		if end < 0 {
			return badEntities("Unclosed start tag at byte offset %d", i)
		}
		tag := text[i+1 : i+end]
		name, closing := strings.CutPrefix(tag, "/")
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		name = strings.ToLower(name)
		switch {
		case closing && len(open) == 0:
			return badEntities("Unexpected end tag at byte offset %d", i)
		case closing && open[len(open)-1] != name:
			return badEntities("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, open[len(open)-1], name)
		case closing:
			open = open[:len(open)-1]
		case !htmlTags[name]:
			return badEntities("Unsupported start tag \"%s\" at byte offset %d", name, i)
		default:
			open = append(open, name)
		}
		i += end
	}
	if len(open) > 0 {
		return badEntities("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return nil
}

func badEntities(format string, args ...any) *apiError {
	return refuse("can't parse entities: "+format, args...)
}
