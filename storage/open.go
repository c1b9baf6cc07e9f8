package storage

import (
	"context"
	"fmt"
)

// OpenTextsUpTo returns at most limit open answers to each of the given questions,
// in no particular order (limit <= 0: all of them, as OpenTexts). Views of a large
// round read a bounded number of answers this way, so their cost does not grow with
// the number of respondents; exports read them all.
func (s *Store) OpenTextsUpTo(ctx context.Context, rid string, qids []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		return s.OpenTexts(ctx, rid, qids)
	}
	out := map[string][]string{}
	for _, q := range qids {
		var texts []string
		var cursor uint64
		for {
			kv, next, err := s.rdb.HScan(ctx, openTextKey(rid, q), cursor, "", int64(min(limit, 1000))).Result()
			if err != nil {
				return nil, fmt.Errorf("load open answers %s of round %s: %w", q, rid, err)
			}
			for i := 1; i < len(kv) && len(texts) < limit; i += 2 {
				texts = append(texts, kv[i])
			}
			cursor = next
			if cursor == 0 || len(texts) >= limit {
				break
			}
		}
		out[q] = texts
	}
	return out, nil
}
