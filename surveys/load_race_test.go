//go:build race

package surveys

// raceSlowdown widens the wall-clock bounds of tests under the race detector, which
// makes code 2 to 20 times slower (https://go.dev/doc/articles/race_detector).
const raceSlowdown = 10
