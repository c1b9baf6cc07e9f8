package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Message flags (https://docs.discord.com/developers/resources/message#message-object-message-flags).
const (
	flagEphemeral    = 1 << 6
	flagLoading      = 1 << 7
	flagComponentsV2 = 1 << 15
)

// msgInput is a message body to apply: a create, an edit, or the data of a
// CHANNEL_MESSAGE_WITH_SOURCE or UPDATE_MESSAGE callback.
type msgInput struct {
	payload     []byte
	files       []File
	path        []string // prefix of error paths, ["data"] in a callback
	ephemeralOK bool     // flag 64 is honoured (interaction responses and followups)
}

// applyLocked validates in and applies it to m. On create, absent fields are empty;
// otherwise absent fields are kept and null clears them, as in Discord's PATCH.
// Nothing is changed when it fails.
func (s *Server) applyLocked(m *message, in msgInput, create bool) *apiError {
	fs := fields(in.payload)
	var fe formErrors
	next := *m
	if raw, present := fs["content"]; present || create {
		next.content = ""
		if !isNull(raw) && json.Unmarshal(raw, &next.content) != nil {
			fe.add(at(in.path, "content"), "STRING_TYPE_CONVERT", "Could not interpret the value as string.")
		}
		fe.length(at(in.path, "content"), next.content, 0, maxContent)
	}
	if raw, present := fs["components"]; present || create {
		wc, err := parseComponents(raw)
		if err != nil {
			fe.add(at(in.path, "components"), "BASE_TYPE_ARRAY", "Must be an array of components.")
		}
		fe.messageComponents(at(in.path, "components"), wc)
		next.comps, next.rawComponents = components(wc), nil
		if len(wc) > 0 {
			next.rawComponents = slices.Clone(raw)
		}
	}
	if raw, present := fs["embeds"]; present || create {
		next.embeds = nil
		if !isNull(raw) && json.Unmarshal(raw, &next.embeds) != nil {
			fe.add(at(in.path, "embeds"), "BASE_TYPE_ARRAY", "Must be an array.")
		}
		if len(next.embeds) > maxEmbeds {
			fe.add(at(in.path, "embeds"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbeds))
		}
	}
	if raw, present := fs["allowed_mentions"]; present {
		next.allowedMentions = nil
		if !isNull(raw) {
			next.allowedMentions = slices.Clone(raw)
			fe.allowedMentions(at(in.path, "allowed_mentions"), raw)
		}
	}
	if raw, present := fs["flags"]; present && !isNull(raw) {
		var flags int
		_ = json.Unmarshal(raw, &flags)
		if flags&flagComponentsV2 != 0 {
			fe.add(at(in.path, "flags"), "MESSAGE_FLAGS_UNSUPPORTED", "IS_COMPONENTS_V2 is not modelled by discordtest")
		}
		if !in.ephemeralOK {
			flags &^= flagEphemeral // only interaction responses can be ephemeral
		}
		if create {
			next.flags = flags
		}
	}
	s.applyFiles(&next, fs, in, create)
	if len(next.files) > maxFiles {
		fe.add(at(in.path, "files"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxFiles))
	}
	fe.embeds(at(in.path, "embeds"), next.embeds, next.files)
	if aerr := fe.err(); aerr != nil {
		return aerr
	}
	if next.content == "" && len(next.comps) == 0 && len(next.embeds) == 0 && len(next.files) == 0 {
		return errEmptyMessage
	}
	*m = next
	return nil
}

// applyFiles keeps the attachments an edit lists (all when it lists none) and adds
// the uploaded files.
func (s *Server) applyFiles(m *message, fs map[string]json.RawMessage, in msgInput, create bool) {
	if raw, present := fs["attachments"]; present && !create {
		var keep []struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &keep)
		ids := make(map[string]bool)
		for _, k := range keep {
			ids[k.ID] = true
		}
		m.files = slices.DeleteFunc(slices.Clone(m.files), func(f storedFile) bool { return !ids[f.id] })
	}
	m.files = slices.Clone(m.files)
	for _, f := range in.files {
		m.files = append(m.files, storedFile{id: s.newIDLocked(), File: File{Name: f.Name, Bytes: slices.Clone(f.Bytes)}})
	}
}

// allowedMentions checks the allowed_mentions object
// (https://docs.discord.com/developers/resources/message#allowed-mentions-object):
// parse holds "roles", "users" or "everyone", and may not name a type whose ids are
// also listed.
func (f *formErrors) allowedMentions(path []string, raw json.RawMessage) {
	var am struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
		Roles []string `json:"roles"`
	}
	if json.Unmarshal(raw, &am) != nil {
		f.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return
	}
	for i, p := range am.Parse {
		if p != "roles" && p != "users" && p != "everyone" {
			f.add(at(path, "parse", i), "BASE_TYPE_CHOICES", `Value must be one of {"roles", "users", "everyone"}.`)
		}
	}
	for _, kind := range []struct {
		name string
		ids  []string
	}{{"users", am.Users}, {"roles", am.Roles}} {
		if len(kind.ids) > 0 && slices.Contains(am.Parse, kind.name) {
			f.add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", fmt.Sprintf("parse:[%q] and %s: [ids...] are mutually exclusive.", kind.name, kind.name))
		}
		if len(kind.ids) > 100 {
			f.add(at(path, kind.name), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
		}
	}
}
