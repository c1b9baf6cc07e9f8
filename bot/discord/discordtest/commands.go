package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// commandEntry is one registered application command.
type commandEntry struct {
	raw     json.RawMessage // as the bot sent it
	ID      string
	GuildID string
	Name    string
	Type    int
	Options []commandOption
}

type commandOption struct {
	Name string `json:"name"`
	Type int    `json:"type"`
}

// commandName is the naming rule for CHAT_INPUT commands and their options
// (https://docs.discord.com/developers/interactions/application-commands#application-command-object-application-command-naming).
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// maxCommands is the limit of global, and of per-guild, chat-input commands.
const maxCommands = 100

// Commands is the last bulk overwrite of the global commands (guildID "") or of a
// guild's, each command as the bot sent it; nil before any.
func (s *Server) Commands(guildID string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []json.RawMessage
	for _, c := range s.commands[guildID] {
		out = append(out, slices.Clone(c.raw))
	}
	return out
}

// commandsRoute is GET and PUT (bulk overwrite) /applications/{app}/commands and
// /applications/{app}/guilds/{guild}/commands.
func (s *Server) commandsRoute(c *call) (result, *apiError) {
	if c.path[1] != appID {
		return result{}, fail(http.StatusForbidden, 50001, "Missing Access")
	}
	guild := ""
	if len(c.path) == 5 {
		guild = c.path[3]
		if guild != guildID {
			return result{}, fail(http.StatusForbidden, 50001, "Missing Access")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch c.method {
	case "GET":
		return ok(s.commandsJSONLocked(guild))
	case "PUT":
		return s.overwriteLocked(c, guild)
	}
	return result{}, errMethodNotAllowed
}

func (s *Server) overwriteLocked(c *call, guild string) (result, *apiError) {
	var raws []json.RawMessage
	if err := json.Unmarshal(c.payload, &raws); err != nil {
		var fe formErrors
		fe.add(nil, "BASE_TYPE_ARRAY", "Must be an array.")
		return result{}, fe.err()
	}
	var fe formErrors
	if len(raws) > maxCommands {
		fe.add(nil, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxCommands))
	}
	entries := make([]commandEntry, len(raws))
	for i, raw := range raws {
		var cmd struct {
			Name        string          `json:"name"`
			Type        int             `json:"type"`
			Description string          `json:"description"`
			Options     []commandOption `json:"options"`
		}
		_ = json.Unmarshal(raw, &cmd)
		if cmd.Type == 0 {
			cmd.Type = 1
		}
		p := at(nil, i)
		if cmd.Type == 1 {
			if !commandName.MatchString(cmd.Name) || strings.ToLower(cmd.Name) != cmd.Name {
				fe.add(at(p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
			}
			fe.length(at(p, "description"), cmd.Description, 1, 100)
		}
		if len(cmd.Options) > 25 {
			fe.add(at(p, "options"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		entries[i] = commandEntry{raw: slices.Clone(raw), ID: s.commandIDLocked(guild, cmd.Name), GuildID: guild, Name: cmd.Name, Type: cmd.Type, Options: cmd.Options}
	}
	if aerr := fe.err(); aerr != nil {
		return result{}, aerr
	}
	s.commands[guild] = entries
	return ok(s.commandsJSONLocked(guild))
}

// commandIDLocked keeps a command's id across overwrites when its name stays.
func (s *Server) commandIDLocked(guild, name string) string {
	for _, c := range s.commands[guild] {
		if c.Name == name {
			return c.ID
		}
	}
	return s.newIDLocked()
}

// commandsJSONLocked is the registered commands as Discord returns them: as sent,
// with id, application_id, version and guild_id filled in.
func (s *Server) commandsJSONLocked(guild string) []map[string]any {
	out := []map[string]any{}
	for _, c := range s.commands[guild] {
		var v map[string]any
		_ = json.Unmarshal(c.raw, &v)
		v["id"], v["application_id"], v["version"], v["type"] = c.ID, appID, c.ID, c.Type
		if guild != "" {
			v["guild_id"] = guild
		}
		out = append(out, v)
	}
	return out
}

// commandLocked is the registered command name: the guild's first when used in the
// guild, then the global one. An unregistered name gets a fresh id and string
// options.
func (s *Server) commandLocked(name string, guild bool) commandEntry {
	scopes := []string{""}
	if guild {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, c := range s.commands[scope] {
			if c.Name == name {
				return c
			}
		}
	}
	return commandEntry{ID: s.newIDLocked(), Name: name, Type: 1}
}

// option converts an option's text to the type the command declares for it.
func (c commandEntry) option(name, text string) (int, any) {
	for _, o := range c.Options {
		if o.Name == name {
			return optionValue(o.Type, text)
		}
	}
	return optionValue(3, text)
}
