package bot_test

import (
	"bytes"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/digest"
)

// TestSendDigestByReference: the digest's files are stored once and queued by
// reference to every stuurgroep chat, not copied into each queued message.
func TestSendDigestByReference(t *testing.T) {
	sg := []bot.Address{{Channel: engChannelName, ChatID: "sg-1"}, {Channel: engChannelName, ChatID: "sg-2"}}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Stuurgroep = sg })
	rep := &digest.Report{Chat: "Digest november", Name: "participatie-digest-2026-11",
		Markdown: []byte("# Participatie in november\n"), HTML: []byte("<!doctype html><title>Participatie</title>")}
	if err := h.eng.SendDigest(h.ctx, "2026-11", rep); err != nil {
		t.Fatal(err)
	}
	docs := 0
	for _, m := range h.drain() {
		if m.Document == nil {
			continue
		}
		docs++
		if len(m.Document.Data) != 0 || m.Document.Ref == "" {
			t.Errorf("%s to %s: %d bytes inline, ref %q; want the file by reference", m.Document.Name, m.To.ChatID, len(m.Document.Data), m.Document.Ref)
			continue
		}
		data, err := h.store.Blob(h.ctx, m.Document.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, rep.Markdown) && !bytes.Equal(data, rep.HTML) {
			t.Errorf("%s: the blob holds %q", m.Document.Name, data)
		}
	}
	if docs != 4 {
		t.Errorf("%d documents queued, want 2 per stuurgroep chat", docs)
	}
}
