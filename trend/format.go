package trend

import (
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Value writes a figure: "47%", "6,8".
func Value(v float64, percent bool) string {
	if percent {
		return strings.TrimSuffix(dutch.Decimal(v, 1), ",0") + "%"
	}
	return dutch.Decimal(v, 1)
}
