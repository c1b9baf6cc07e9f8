package discordtest

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const testToken = "MTAwMDAwMDAwMDAwMDAwMDAx.discordtest.c2VjcmV0"

// Members the tests play.
const (
	anna = "200000000000000001"
	bert = "200000000000000002"
)

// newServer starts a fake with two members.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(t, testToken, opts...)
	s.AddMember(anna, "Anna")
	s.AddMember(bert, "Bert")
	return s
}

// newSession is an unmodified discordgo session pointed at s, not yet connected:
// enough for REST calls.
func newSession(t *testing.T, s *Server) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New("Bot " + testToken)
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: s.Transport(), Timeout: 10 * time.Second}
	dg.LogLevel = -1 // discordgo logs gateway chatter at LogError level otherwise
	return dg
}

// openSession connects a session to the gateway and returns it with the
// interactions it receives, once its heartbeats run. The session is closed before
// the server: discordgo's Close takes a second.
func openSession(t *testing.T, s *Server) (*discordgo.Session, <-chan *discordgo.InteractionCreate) {
	t.Helper()
	dg := newSession(t, s)
	got := make(chan *discordgo.InteractionCreate, 64)
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { got <- ic })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open: got %v, want no error", err)
	}
	t.Cleanup(func() { _ = dg.Close() })
	// discordgo's heartbeat goroutine sends its first heartbeat before it looks at
	// whether the connection was closed: a connection dropped before then gets a
	// second, spurious reconnect.
	s.WaitFor(t, 5*time.Second, "the first heartbeat", func() bool { return s.Heartbeats() > 0 })
	return dg, got
}

// next is the next interaction the bot receives.
func next(t *testing.T, got <-chan *discordgo.InteractionCreate) *discordgo.Interaction {
	t.Helper()
	select {
	case ic := <-got:
		return ic.Interaction
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for INTERACTION_CREATE")
		return nil
	}
}

// restError is err as the *discordgo.RESTError discordgo returns for an error answer.
func restError(t *testing.T, err error) *discordgo.RESTError {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want a *discordgo.RESTError", err, err)
	}
	return re
}

// code is the Discord error code of a REST error, -1 when its body had none.
func code(t *testing.T, err error) int {
	t.Helper()
	re := restError(t, err)
	if re.Message == nil {
		return -1
	}
	return re.Message.Code
}

func ptr[T any](v T) *T { return &v }
