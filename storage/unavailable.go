package storage

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

// Unavailable reports whether err says that Redis (or another service over the
// network) could not be reached or was failing over, rather than anything about
// the request itself: a refused or broken connection, a timeout on the wire, a
// cluster that is down or moving a slot, a master that lost its replica's
// confirmation (ErrNotReplicated). Such a request succeeds when tried again later,
// so it must not count against the request as a failure of its own (an inbound
// update set aside after a master's failover was nobody's fault).
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// a context's end is the caller's own deadline (a handling that took too
		// long), not Redis's state; context.DeadlineExceeded is a net.Error too
		return false
	}
	if errors.Is(err, ErrNotReplicated) || errors.Is(err, redis.ErrClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		return true
	}
	var rerr redis.Error
	if errors.As(err, &rerr) {
		return redirected(rerr) || strings.HasPrefix(rerr.Error(), "MASTERDOWN")
	}
	return false
}
