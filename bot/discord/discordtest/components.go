package discordtest

import (
	"encoding/json"
	"slices"
)

// Component types (https://docs.discord.com/developers/components/reference#component-object-component-types).
const (
	ComponentActionRow    = 1
	ComponentButton       = 2
	ComponentStringSelect = 3
	ComponentTextInput    = 4
	ComponentLabel        = 18 // modal label, newer than discordgo v0.29; refused
)

// ButtonLink is the style of a link button, which carries a URL instead of a
// custom_id and sends no interaction.
const ButtonLink = 5

// Component is a message or modal component as the bot sent it: an action row with
// its Components, a button, a select menu or a text input.
type Component struct {
	Type        int
	CustomID    string
	Label       string
	Style       int
	URL         string
	Placeholder string
	Options     []SelectOption
	MinValues   int // select menus: 1 when the bot left it out, as Discord's default
	MaxValues   int // select menus: 1 when the bot left it out
	MinLength   int // text inputs
	MaxLength   int // text inputs, 0 when unset
	Required    bool
	Value       string
	Disabled    bool
	Components  []Component
}

// SelectOption is one option of a string select menu.
type SelectOption struct {
	Label       string
	Value       string
	Description string
	Default     bool
}

// wireComponent is a component in Discord's JSON.
type wireComponent struct {
	Type        int             `json:"type"`
	CustomID    *string         `json:"custom_id"`
	Label       string          `json:"label"`
	Style       int             `json:"style"`
	URL         string          `json:"url"`
	Disabled    bool            `json:"disabled"`
	Emoji       json.RawMessage `json:"emoji"`
	Placeholder string          `json:"placeholder"`
	MinValues   *int            `json:"min_values"`
	MaxValues   *int            `json:"max_values"`
	Options     []wireOption    `json:"options"`
	MinLength   *int            `json:"min_length"`
	MaxLength   *int            `json:"max_length"`
	Required    *bool           `json:"required"`
	Value       string          `json:"value"`
	Components  []wireComponent `json:"components"`
}

type wireOption struct {
	Label       string          `json:"label"`
	Value       string          `json:"value"`
	Description string          `json:"description"`
	Emoji       json.RawMessage `json:"emoji"`
	Default     bool            `json:"default"`
}

// parseComponents decodes a components array; null or absent is no components.
func parseComponents(raw json.RawMessage) ([]wireComponent, error) {
	if isNull(raw) {
		return nil, nil
	}
	var wc []wireComponent
	err := json.Unmarshal(raw, &wc)
	return wc, err
}

func (w wireComponent) component() Component {
	c := Component{
		Type: w.Type, CustomID: deref(w.CustomID, ""), Label: w.Label, Style: w.Style, URL: w.URL,
		Placeholder: w.Placeholder, MinLength: deref(w.MinLength, 0), MaxLength: deref(w.MaxLength, 0),
		Required: deref(w.Required, true), Value: w.Value, Disabled: w.Disabled,
	}
	if isSelect(w.Type) {
		c.MinValues, c.MaxValues = deref(w.MinValues, 1), deref(w.MaxValues, 1)
	}
	for _, o := range w.Options {
		c.Options = append(c.Options, SelectOption{Label: o.Label, Value: o.Value, Description: o.Description, Default: o.Default})
	}
	for _, child := range w.Components {
		c.Components = append(c.Components, child.component())
	}
	return c
}

func components(wc []wireComponent) []Component {
	var out []Component
	for _, w := range wc {
		out = append(out, w.component())
	}
	return out
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// isSelect covers the string, user, role, mentionable and channel select menus.
func isSelect(t int) bool {
	return t == ComponentStringSelect || (t >= 5 && t <= 8)
}

// copyComponents deep-copies components for a snapshot.
func copyComponents(cs []Component) []Component {
	if cs == nil {
		return nil
	}
	out := make([]Component, len(cs))
	for i, c := range cs {
		c.Options = slices.Clone(c.Options)
		c.Components = copyComponents(c.Components)
		out[i] = c
	}
	return out
}

// find returns the interactive component with customID, searching rows.
func find(cs []Component, customID string) (Component, bool) {
	for _, c := range cs {
		if c.CustomID == customID && c.Type != ComponentActionRow {
			return c, true
		}
		if got, ok := find(c.Components, customID); ok {
			return got, true
		}
	}
	return Component{}, false
}
