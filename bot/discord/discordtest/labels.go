package discordtest

import (
	"fmt"
	"slices"
	"strings"
)

// ClickLabel clicks the button labelled label on the newest message in userID's DM
// that has one. An exact label wins; failing that, a label starting with label is
// taken. It fails when no enabled button matches or the newest matching message has
// several.
func (s *Server) ClickLabel(userID, label string) error {
	s.mu.Lock()
	msgID, customID, err := s.findLocked(userID, func(m *message) ([]string, error) {
		return matchButtons(m.comps, label)
	})
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = s.Click(userID, msgID, customID)
	return err
}

// SelectLabel chooses the options labelled labels in the string select menu of the
// newest message in userID's DM whose menu has them all.
func (s *Server) SelectLabel(userID string, labels ...string) error {
	var values []string
	s.mu.Lock()
	msgID, customID, err := s.findLocked(userID, func(m *message) ([]string, error) {
		var ids []string
		for _, row := range m.comps {
			for _, c := range row.Components {
				if v, ok := optionValues(c, labels); ok {
					ids, values = append(ids, c.CustomID), v
				}
			}
		}
		return ids, nil
	})
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = s.Select(userID, msgID, customID, values...)
	return err
}

// findLocked walks userID's DM from the newest message back and returns the first
// message where pick finds exactly one custom_id.
func (s *Server) findLocked(userID string, pick func(*message) ([]string, error)) (string, string, error) {
	m := s.members[userID]
	if m == nil || m.dmsChannel == "" {
		return "", "", fmt.Errorf("member %s has no DM with the bot", userID)
	}
	msgs := s.channels[m.dmsChannel].msgs
	for i := len(msgs) - 1; i >= 0; i-- {
		ids, err := pick(msgs[i])
		if err != nil {
			return "", "", err
		}
		switch len(ids) {
		case 0:
			continue
		case 1:
			return msgs[i].id, ids[0], nil
		default:
			return "", "", fmt.Errorf("message %s has %d matching components %q", msgs[i].id, len(ids), ids)
		}
	}
	return "", "", fmt.Errorf("no message in the DM of %s has a matching component", userID)
}

// matchButtons is the custom_ids of the enabled buttons labelled label, or else of
// those whose label starts with it.
func matchButtons(rows []Component, label string) ([]string, error) {
	var exact, prefix []string
	for _, row := range rows {
		for _, c := range row.Components {
			if c.Type != ComponentButton || c.Disabled || c.Style == ButtonLink {
				continue
			}
			switch {
			case c.Label == label:
				exact = append(exact, c.CustomID)
			case strings.HasPrefix(c.Label, label):
				prefix = append(prefix, c.CustomID)
			}
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	return prefix, nil
}

// optionValues maps labels to the values of a string select's options.
func optionValues(c Component, labels []string) ([]string, bool) {
	if c.Type != ComponentStringSelect || c.Disabled {
		return nil, false
	}
	var values []string
	for _, l := range labels {
		i := slices.IndexFunc(c.Options, func(o SelectOption) bool { return o.Label == l })
		if i < 0 {
			return nil, false
		}
		values = append(values, c.Options[i].Value)
	}
	return values, true
}
