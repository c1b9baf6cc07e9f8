package discordtest

import (
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Limits from the component reference
// (https://docs.discord.com/developers/components/reference) and the message and
// modal objects (https://docs.discord.com/developers/resources/message#create-message,
// https://docs.discord.com/developers/interactions/receiving-and-responding#interaction-response-object-modal).
const (
	maxContent     = 2000
	maxRows        = 5
	maxButtons     = 5
	maxOptions     = 25
	maxCustomID    = 100
	maxButtonLabel = 80
	maxModalTitle  = 45
	maxInputLabel  = 45
	maxInputLength = 4000
	maxOptionText  = 100
	maxPlaceholder = 150
	maxEmbeds      = 10
	maxFiles       = 10
)

// formErrors collects field errors into Discord's "Invalid Form Body" answer (code
// 50035), whose errors object nests by field name and array index down to an
// _errors list (https://docs.discord.com/developers/reference#error-messages).
type formErrors struct {
	root map[string]any
}

func (f *formErrors) add(path []string, code, message string) {
	if f.root == nil {
		f.root = make(map[string]any)
	}
	node := f.root
	for _, p := range path {
		next, _ := node[p].(map[string]any)
		if next == nil {
			next = make(map[string]any)
			node[p] = next
		}
		node = next
	}
	list, _ := node["_errors"].([]any)
	node["_errors"] = append(list, map[string]string{"code": code, "message": message})
}

func (f *formErrors) err() *apiError {
	if f.root == nil {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, body: jsonError{Code: 50035, Message: "Invalid Form Body", Errors: f.root}, violation: true}
}

func (f *formErrors) length(path []string, s string, lo, hi int) {
	n := utf8.RuneCountInString(s)
	switch {
	case lo == 0 && n > hi:
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", hi))
	case n < lo || n > hi:
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", lo, hi))
	}
}

func (f *formErrors) count(path []string, n, lo, hi int) {
	if n < lo || n > hi {
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", lo, hi))
	}
}

func (f *formErrors) choice(path []string, field string, allowed string) {
	f.add(path, "UNION_TYPE_CHOICES", fmt.Sprintf("Value of field %q must be one of %s.", field, allowed))
}

func at(path []string, more ...any) []string {
	out := append([]string(nil), path...)
	for _, m := range more {
		switch v := m.(type) {
		case int:
			out = append(out, strconv.Itoa(v))
		case string:
			out = append(out, v)
		}
	}
	return out
}

// messageComponents checks a message's components: up to 5 action rows, each with up
// to 5 buttons or exactly one select menu, custom_ids unique in the message.
func (f *formErrors) messageComponents(path []string, rows []wireComponent) {
	if len(rows) > maxRows {
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxRows))
	}
	seen := make(map[string]bool)
	for i, row := range rows {
		rp := at(path, i)
		if row.Type != ComponentActionRow {
			// Components v2 (sections, text displays, containers) need the
			// IS_COMPONENTS_V2 flag, which this fake does not model.
			f.choice(rp, "type", "(1,)")
			continue
		}
		f.count(at(rp, "components"), len(row.Components), 1, maxButtons)
		hasSelect := false
		for j, c := range row.Components {
			cp := at(rp, "components", j)
			switch {
			case c.Type == ComponentButton:
				f.button(cp, c)
			case isSelect(c.Type):
				hasSelect = true
				f.selectMenu(cp, c)
			default:
				f.choice(cp, "type", "(2, 3, 5, 6, 7, 8)")
			}
			if id := deref(c.CustomID, ""); id != "" {
				if seen[id] {
					f.add(at(cp, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
				}
				seen[id] = true
			}
		}
		if hasSelect && len(row.Components) > 1 {
			f.add(at(rp, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
		}
	}
}

func (f *formErrors) button(path []string, c wireComponent) {
	switch {
	case c.Style < 1 || c.Style > 6:
		f.add(at(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
	case c.Style == ButtonLink:
		if c.URL == "" {
			f.add(at(path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		if c.CustomID != nil {
			f.add(at(path, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id is not allowed on a link button")
		}
	default:
		f.length(at(path, "custom_id"), deref(c.CustomID, ""), 1, maxCustomID)
	}
	f.length(at(path, "label"), c.Label, 0, maxButtonLabel)
	if c.Label == "" && isNull(c.Emoji) {
		f.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji")
	}
}

func (f *formErrors) selectMenu(path []string, c wireComponent) {
	f.length(at(path, "custom_id"), deref(c.CustomID, ""), 1, maxCustomID)
	f.length(at(path, "placeholder"), c.Placeholder, 0, maxPlaceholder)
	lo, hi := deref(c.MinValues, 1), deref(c.MaxValues, 1)
	if lo < 0 || lo > maxOptions {
		f.add(at(path, "min_values"), "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 0 and %d.", maxOptions))
	}
	if hi < 1 || hi > maxOptions {
		f.add(at(path, "max_values"), "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 1 and %d.", maxOptions))
	}
	if c.Type != ComponentStringSelect {
		return
	}
	f.count(at(path, "options"), len(c.Options), 1, maxOptions)
	if hi > len(c.Options) {
		f.add(at(path, "max_values"), "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS", "max_values exceeds the number of options")
	}
	values := make(map[string]bool)
	for k, o := range c.Options {
		op := at(path, "options", k)
		f.length(at(op, "label"), o.Label, 1, maxOptionText)
		f.length(at(op, "value"), o.Value, 1, maxOptionText)
		f.length(at(op, "description"), o.Description, 0, maxOptionText)
		if values[o.Value] {
			f.add(at(op, "value"), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Select option value cannot be duplicated")
		}
		values[o.Value] = true
	}
}

// modal checks a MODAL callback's data: custom_id, a title of at most 45 characters
// and 1 to 5 action rows, each holding one text input. The Label component (type 18)
// is refused: discordgo v0.29 has no type for it.
func (f *formErrors) modal(path []string, customID *string, title string, rows []wireComponent) {
	f.length(at(path, "custom_id"), deref(customID, ""), 1, maxCustomID)
	f.length(at(path, "title"), title, 1, maxModalTitle)
	f.count(at(path, "components"), len(rows), 1, maxRows)
	for i, row := range rows {
		rp := at(path, "components", i)
		if row.Type != ComponentActionRow {
			f.choice(rp, "type", "(1,)")
			continue
		}
		f.count(at(rp, "components"), len(row.Components), 1, 1)
		for j, c := range row.Components {
			cp := at(rp, "components", j)
			if c.Type != ComponentTextInput {
				f.choice(cp, "type", "(4,)")
				continue
			}
			f.textInput(cp, c)
		}
	}
}

func (f *formErrors) textInput(path []string, c wireComponent) {
	f.length(at(path, "custom_id"), deref(c.CustomID, ""), 1, maxCustomID)
	f.length(at(path, "label"), c.Label, 1, maxInputLabel)
	if c.Style != 1 && c.Style != 2 {
		f.add(at(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
	}
	lo, hi := deref(c.MinLength, 0), deref(c.MaxLength, maxInputLength)
	if lo < 0 || lo > maxInputLength {
		f.add(at(path, "min_length"), "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 0 and %d.", maxInputLength))
	}
	if hi < 1 || hi > maxInputLength {
		f.add(at(path, "max_length"), "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 1 and %d.", maxInputLength))
	}
	f.length(at(path, "value"), c.Value, 0, maxInputLength)
	f.length(at(path, "placeholder"), c.Placeholder, 0, 100)
}
