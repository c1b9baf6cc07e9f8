package bot

import (
	"fmt"
	"testing"
)

// TestChartCacheBounded: the chart cache keeps the last chartCacheRounds rounds,
// however many rounds a process publishes.
func TestChartCacheBounded(t *testing.T) {
	var c chartCache
	for i := range 1000 {
		c.put(fmt.Sprintf("r-%04d", i), &roundCharts{})
	}
	if len(c.rounds) != chartCacheRounds || len(c.order) != chartCacheRounds {
		t.Fatalf("cache holds %d rounds (%d in order), want %d", len(c.rounds), len(c.order), chartCacheRounds)
	}
	if _, ok := c.rounds["r-0999"]; !ok {
		t.Error("the newest round was evicted")
	}
	if _, ok := c.rounds["r-0000"]; ok {
		t.Error("the oldest round was kept")
	}
}
