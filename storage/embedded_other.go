//go:build !linux

package storage

import "syscall"

// childAttr: without Pdeathsig a redis-server may outlive a service killed hard;
// the next start finds it on its socket and stops it (stopLeftover).
func childAttr() *syscall.SysProcAttr { return nil }

// isRedisOf cannot read another process's command line here: only a leftover that
// answers on the socket is found.
func isRedisOf(pid int, sock string) bool { return false }

// signalPid is never called here (isRedisOf is false).
func signalPid(pid int, sig syscall.Signal) {}
