package discordtest

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes (https://docs.discord.com/developers/topics/opcodes-and-status-codes#gateway-gateway-opcodes).
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresence       = 3
	opVoiceState     = 4
	opResume         = 6
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// Gateway close codes (https://docs.discord.com/developers/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes).
const (
	closeUnknownOpcode     = 4001
	closeDecodeError       = 4002
	closeNotAuthenticated  = 4003
	closeAuthFailed        = 4004
	closeAlreadyAuthed     = 4005
	closeInvalidShard      = 4010
	closeInvalidAPIVersion = 4012
	closeDisallowedIntents = 4014
)

// privilegedIntents need switching on in the developer portal
// (https://docs.discord.com/developers/events/gateway#privileged-intents).
const privilegedIntents = 1<<1 | 1<<8 | 1<<15

// gateway is the websocket side: connections, sessions and their sequence numbers.
// Lock order: gateway.mu before gwConn.wmu (several wmu may be held at once under
// gateway.mu, never one while waiting for gateway.mu); Server.mu is never held while
// taking either.
type gateway struct {
	mu         sync.Mutex
	conns      map[*gwConn]bool
	live       map[*gwConn]bool // identified or resumed and not closed: dispatches go to these
	sessions   map[string]*gwSession
	identifies int
	resumes    int
	heartbeats int
	closed     bool
	wg         sync.WaitGroup
	// lastIdentify is the time of the last accepted IDENTIFY per rate limit key
	// (shard_id % max_concurrency)
	lastIdentify   map[int]time.Time
	violations     []string
	moreViolations int // beyond maxViolations
}

type gwConn struct {
	ws       *websocket.Conn
	wmu      sync.Mutex // one writer at a time, as gorilla/websocket requires
	session  *gwSession
	compress bool
	version  int
}

type gwSession struct {
	id    string
	seq   int64
	shard Shard // from the IDENTIFY; a RESUME keeps it
}

// payload is a gateway message (https://docs.discord.com/developers/events/gateway-events#payload-structure).
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

func (g *gateway) init() {
	g.conns = make(map[*gwConn]bool)
	g.live = make(map[*gwConn]bool)
	g.sessions = make(map[string]*gwSession)
	g.lastIdentify = make(map[int]time.Time)
}

// Connected reports whether a gateway connection is identified or resumed, so that
// Slash, Click and the rest reach the bot (with several shards: reach some shard).
func (s *Server) Connected() bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return len(s.gw.live) > 0
}

// Identified is the number of IDENTIFYs accepted: new sessions.
func (s *Server) Identified() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.identifies
}

// Resumed is the number of RESUMEs accepted.
func (s *Server) Resumed() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.resumes
}

// Heartbeats is the number of heartbeats received, each answered with HEARTBEAT_ACK.
func (s *Server) Heartbeats() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.heartbeats
}

// Disconnect closes every live gateway connection (one per shard the bot runs) with
// close code, as Discord does when it restarts a gateway node (4000) or drops a
// session. discordgo then reconnects and sends RESUME, answered with RESUMED while the
// session is valid; after 4004, 4007, 4009 or 4010–4014 the session is gone, the
// RESUME is answered with INVALID_SESSION and discordgo identifies anew.
func (s *Server) Disconnect(code int) {
	s.gw.mu.Lock()
	var cs []*gwConn
	for c := range s.gw.live {
		cs = append(cs, c)
		delete(s.gw.live, c)
		if code == closeAuthFailed || code == 4007 || code == 4009 || (code >= 4010 && code <= 4014) {
			delete(s.gw.sessions, c.session.id)
		}
	}
	s.gw.mu.Unlock()
	for _, c := range cs {
		c.close(code, "discordtest disconnect")
	}
}

// serveGateway upgrades GET /gateway (discordgo adds "/?v=9&encoding=json") and runs
// the connection: HELLO first, then IDENTIFY or RESUME, heartbeats and dispatches.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	c.version, _ = strconv.Atoi(r.URL.Query().Get("v"))
	s.gw.mu.Lock()
	if s.gw.closed {
		s.gw.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.gw.conns[c] = true
	s.gw.wg.Add(1)
	s.gw.mu.Unlock()
	defer s.gw.wg.Done()
	defer s.forget(c)

	if c.version != 9 && c.version != 10 {
		c.close(closeInvalidAPIVersion, "Invalid API version.")
		return
	}
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != "json" {
		c.close(closeDecodeError, "Error while decoding payload.")
		return
	}
	hello, _ := json.Marshal(map[string]int64{"heartbeat_interval": s.cfg.heartbeat.Milliseconds()})
	c.send(payload{Op: opHello, D: hello}, false)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if code, text := s.receive(c, data); code != 0 {
			c.close(code, text)
			return
		}
	}
}

func (s *Server) forget(c *gwConn) {
	s.gw.mu.Lock()
	delete(s.gw.conns, c)
	delete(s.gw.live, c)
	s.gw.mu.Unlock()
	_ = c.ws.Close()
}

// receive handles one message from the client; a non-zero code closes the connection.
func (s *Server) receive(c *gwConn, data []byte) (int, string) {
	var p payload
	if err := json.Unmarshal(data, &p); err != nil {
		return closeDecodeError, "Error while decoding payload."
	}
	switch p.Op {
	case opHeartbeat:
		s.gw.mu.Lock()
		s.gw.heartbeats++
		s.gw.mu.Unlock()
		c.send(payload{Op: opHeartbeatACK}, false)
	case opIdentify:
		return s.identify(c, p.D)
	case opResume:
		return s.resume(c, p.D)
	case opPresence, opVoiceState, opRequestMembers:
		if c.session == nil {
			return closeNotAuthenticated, "Not authenticated."
		}
	default:
		return closeUnknownOpcode, "Unknown opcode."
	}
	return 0, ""
}

func (s *Server) tokenOK(t string) bool {
	return t == "Bot "+s.token || t == s.token
}

func newSessionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// close sends a close frame with code and drops the connection.
func (c *gwConn) close(code int, text string) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

// send writes p; compressed, it goes as a zlib-compressed binary message, Discord's
// payload compression for a client that identified with "compress": true.
func (c *gwConn) send(p payload, compressed bool) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.writeLocked(p, compressed)
}

func (c *gwConn) writeLocked(p payload, compressed bool) {
	data, err := json.Marshal(p)
	if err != nil {
		return
	}
	kind := websocket.TextMessage
	if compressed {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(data)
		_ = zw.Close()
		data, kind = buf.Bytes(), websocket.BinaryMessage
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_ = c.ws.WriteMessage(kind, data)
}

// dispatch sends event to every live connection of the shard it belongs to (see
// routes), each with its session's next sequence number, and returns those shards.
// Locking every target's writer before gateway.mu is released keeps sequence numbers
// in sending order.
func (s *Server) dispatch(event string, d json.RawMessage) []Shard {
	guild := guildOf(d)
	s.gw.mu.Lock()
	type target struct {
		c   *gwConn
		seq int64
	}
	var ts []target
	var shards []Shard
	for c := range s.gw.live {
		if !c.session.shard.routes(guild) {
			continue
		}
		c.session.seq++
		c.wmu.Lock()
		ts = append(ts, target{c, c.session.seq})
		shards = append(shards, c.session.shard)
	}
	s.gw.mu.Unlock()
	for _, t := range ts {
		t.c.writeLocked(payload{Op: opDispatch, D: d, S: &t.seq, T: &event}, false)
		t.c.wmu.Unlock()
	}
	return shards
}

// closeAll ends every connection and waits for their goroutines.
func (g *gateway) closeAll() {
	g.mu.Lock()
	g.closed = true
	for c := range g.conns {
		_ = c.ws.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
}
