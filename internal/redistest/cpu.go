package redistest

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// CPUSeconds is the CPU time (user and system) one redis-server has used so far, from
// INFO cpu: what a benchmark's work cost that server's core, unlike commandstats'
// time, which on a machine with fewer cores than servers also counts the time the
// server waited for a core.
func CPUSeconds(ctx context.Context, c *redis.Client) (float64, error) {
	info, err := c.Info(ctx, "cpu").Result()
	if err != nil {
		return 0, fmt.Errorf("info cpu of %s: %w", c.Options().Addr, err)
	}
	total := 0.0
	for _, l := range strings.Split(info, "\r\n") {
		k, v, _ := strings.Cut(l, ":")
		if k == "used_cpu_user" || k == "used_cpu_sys" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("info cpu of %s: %s: %w", c.Options().Addr, l, err)
			}
			total += x
		}
	}
	return total, nil
}
