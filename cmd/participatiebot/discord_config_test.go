package main

import (
	"strings"
	"testing"
)

func TestDiscordShardsConfig(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		want    int
		wantErr bool
	}{
		{"default", "", 1, false},
		{"two", "2", 2, false},
		{"zero", "0", 0, true},
		{"negative", "-1", 0, true},
		{"not a number", "twee", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string {
				if k == "DISCORD_SHARDS" {
					return tt.value
				}
				return ""
			})
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "DISCORD_SHARDS") || !strings.Contains(err.Error(), tt.value) {
					t.Fatalf("got error %v, want one naming DISCORD_SHARDS and %q", err, tt.value)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.DiscordShards != tt.want {
				t.Errorf("shards: got %v, want %v", c.DiscordShards, tt.want)
			}
		})
	}
}
