package discordtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Embed limits (https://docs.discord.com/developers/resources/message#embed-object-embed-limits):
// title 256 characters, description 4096, 25 fields of name 256 and value 1024,
// footer text 2048, author name 256, and "the combined sum of characters in all
// title, description, field.name, field.value, footer.text, and author.name fields
// across all embeds attached to a message must not exceed 6000 characters".
const (
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedsTotal      = 6000
)

// Embed is an embed of a message the bot sent, the parts the fake reads.
type Embed struct {
	Title, Description string
	// Image is the image's url; "attachment://<file name>" shows a file of the
	// same message (https://docs.discord.com/developers/reference#uploading-files).
	Image string
}

// wireEmbed is an embed object in Discord's JSON, the fields the limits apply to.
type wireEmbed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Image       *struct {
		URL string `json:"url"`
	} `json:"image"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
	Fields []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
}

// embeds checks a message's embeds against the limits, and that an image sent as
// "attachment://name" names a file of the message: Discord would show the embed
// without its picture, the fake refuses it, erring on the strict side.
func (f *formErrors) embeds(path []string, raw []json.RawMessage, files []storedFile) {
	total := 0
	for i, r := range raw {
		var e wireEmbed
		ep := at(path, i)
		if json.Unmarshal(r, &e) != nil {
			f.add(ep, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		count := func(p []string, s string, max int) {
			f.length(p, s, 0, max)
			total += utf8.RuneCountInString(s)
		}
		count(at(ep, "title"), e.Title, maxEmbedTitle)
		count(at(ep, "description"), e.Description, maxEmbedDescription)
		if e.Footer != nil {
			count(at(ep, "footer", "text"), e.Footer.Text, maxFooterText)
		}
		if e.Author != nil {
			count(at(ep, "author", "name"), e.Author.Name, maxAuthorName)
		}
		if len(e.Fields) > maxEmbedFields {
			f.add(at(ep, "fields"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbedFields))
		}
		for j, fl := range e.Fields {
			count(at(ep, "fields", j, "name"), fl.Name, maxFieldName)
			count(at(ep, "fields", j, "value"), fl.Value, maxFieldValue)
		}
		if e.Image != nil {
			name, isFile := strings.CutPrefix(e.Image.URL, "attachment://")
			u, err := url.Parse(e.Image.URL)
			switch {
			case isFile && !hasFile(files, name):
				f.add(at(ep, "image", "url"), "EMBED_ATTACHMENT_NOT_FOUND", fmt.Sprintf("No file %q is attached to the message (discordtest).", name))
			case isFile:
			case err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
				f.add(at(ep, "image", "url"), "URL_TYPE_INVALID_SCHEME", "Scheme must be one of ('http', 'https').")
			}
		}
	}
	if total > maxEmbedsTotal {
		f.add(path, "MESSAGE_EMBEDS_TOO_LONG", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedsTotal))
	}
}

func hasFile(files []storedFile, name string) bool {
	for _, f := range files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// embedsOf decodes a message's embeds for Message.
func embedsOf(raw []json.RawMessage) []Embed {
	var out []Embed
	for _, r := range raw {
		var e wireEmbed
		if json.Unmarshal(r, &e) != nil {
			continue
		}
		emb := Embed{Title: e.Title, Description: e.Description}
		if e.Image != nil {
			emb.Image = e.Image.URL
		}
		out = append(out, emb)
	}
	return out
}
