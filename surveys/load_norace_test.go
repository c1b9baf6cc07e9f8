//go:build !race

package surveys

// raceSlowdown is 1 without the race detector (see load_race_test.go).
const raceSlowdown = 1
