package web

import (
	"context"
	"time"
)

// Store keeps the web chats' transcripts and the limits on opening them;
// *storage.Store implements it.
type Store interface {
	// SetWebKey gives the store the key it names chats and addresses by.
	SetWebKey(key []byte) error
	// Blob gives a shared attachment (a chart) by its reference.
	Blob(ctx context.Context, ref string) ([]byte, error)
	WebAppend(ctx context.Context, chat string, msg []byte) (int, error)
	WebCountAddress(ctx context.Context, addr string, window time.Duration) (int, time.Duration, error)
	WebCountChat(ctx context.Context, chat string, window time.Duration) (int, time.Duration, error)
	WebDropLegacy(ctx context.Context) (int, error)
	WebEdit(ctx context.Context, chat string, id int, msg []byte) error
	WebExists(ctx context.Context, chat string) (bool, error)
	WebForget(ctx context.Context, chat string) error
	WebKeep(ctx context.Context, chat string, consented bool) error
	WebLen(ctx context.Context, chat string) (int, error)
	WebMessage(ctx context.Context, chat string, id int) ([]byte, error)
	WebStart(ctx context.Context, chat string, now time.Time) (bool, error)
	WebTranscript(ctx context.Context, chat string, from int) (first int, msgs [][]byte, err error)
}
