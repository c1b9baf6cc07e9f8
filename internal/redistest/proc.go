package redistest

import (
	"os"
	"strconv"
	"strings"
)

// ProcState is the state letter of a process in /proc ("R", "S", "Z", …), "" when it
// is gone or there is no /proc: for tests that a redis-server died with its service.
func ProcState(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// pid (comm) S ...: comm may hold spaces, the state follows the last ')'
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2 : i+3]
	}
	return "?"
}
