package storage

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// childAttr makes the kernel send the embedded redis-server SIGTERM (a clean shutdown
// that flushes the append-only file) when the service dies, also by kill -9, so it
// never outlives the service and keeps its socket.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// isRedisOf reports whether pid is a live redis-server of this socket, from its
// command line: redis-server rewrites it to "redis-server unixsocket:<sock>"; a
// zombie's is empty and a reused pid's names something else.
func isRedisOf(pid int, sock string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return false
	}
	return bytes.Contains(b, []byte("redis-server")) && bytes.Contains(b, []byte(sock))
}

// signalPid sends sig to pid (a redis-server isRedisOf found).
func signalPid(pid int, sig syscall.Signal) { _ = syscall.Kill(pid, sig) }
