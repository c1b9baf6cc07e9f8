//go:build !unix

package main

import "os"

// tryLock has no flock(2) here: the DATA_DIR is not guarded on this platform.
func tryLock(*os.File) error { return nil }
