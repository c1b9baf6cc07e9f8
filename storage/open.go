package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
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

// OpenTextsWithLangs is OpenTextsUpTo with the language each answer was written
// in: langs[q][i] is the language of texts[q][i], that of its writer's profile in
// the round ("" for Dutch, and for a writer whose record is gone or a round made
// before buckets). It reads the writers' records and their profiles in two
// pipelined round trips per question, so its cost grows with the answers read, as
// OpenTextsUpTo's does.
func (s *Store) OpenTextsWithLangs(ctx context.Context, rid string, qids []string, limit int) (texts, langs map[string][]string, err error) {
	bk, err := s.buckets(ctx, rid)
	if err != nil {
		return nil, nil, err
	}
	texts, langs = map[string][]string{}, map[string][]string{}
	for _, q := range qids {
		var pids, ts []string
		var cursor uint64
		for {
			count := int64(1000)
			if limit > 0 {
				count = int64(min(limit, 1000))
			}
			kv, next, err := s.rdb.HScan(ctx, openTextKey(rid, q), cursor, "", count).Result()
			if err != nil {
				return nil, nil, fmt.Errorf("load open answers %s of round %s: %w", q, rid, err)
			}
			for i := 1; i < len(kv) && (limit <= 0 || len(ts) < limit); i += 2 {
				pids, ts = append(pids, kv[i-1]), append(ts, kv[i])
			}
			cursor = next
			if cursor == 0 || limit > 0 && len(ts) >= limit {
				break
			}
		}
		ls, err := s.profileLangs(ctx, rid, bk, pids)
		if err != nil {
			return nil, nil, fmt.Errorf("load the languages of open answers %s of round %s: %w", q, rid, err)
		}
		texts[q], langs[q] = ts, ls
	}
	return texts, langs, nil
}

// profileLangs is the language of each participant's profile in a round with bk
// buckets ("" for Dutch or unknown).
func (s *Store) profileLangs(ctx context.Context, rid string, bk int, pids []string) ([]string, error) {
	out := make([]string, len(pids))
	if bk == 0 || len(pids) == 0 {
		return out, nil
	}
	pipe := s.rdb.Pipeline()
	recs := make([]*redis.StringCmd, len(pids))
	for i, pid := range pids {
		recs[i] = pipe.HGet(ctx, bucketKey(rid, bucketOf(pid, bk)), pid)
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, err
	}
	numbers := make([]string, len(pids))
	var fields []string
	seen := map[string]bool{}
	for i, c := range recs {
		rec, _ := c.Result()
		j := 0
		for j < len(rec) && rec[j] >= '0' && rec[j] <= '9' {
			j++
		}
		if j > 0 {
			numbers[i] = rec[:j]
			if !seen[numbers[i]] {
				seen[numbers[i]] = true
				fields = append(fields, "pn:"+numbers[i])
			}
		}
	}
	if len(fields) == 0 {
		return out, nil
	}
	names, err := s.rdb.HMGet(ctx, dictKey(rid), fields...).Result()
	if err != nil {
		return nil, err
	}
	byNumber := map[string]string{}
	for k, f := range fields {
		name, _ := names[k].(string)
		// "<kern>:<leeftijd>[:<mark>:<lang>]" (profileName)
		if parts := strings.SplitN(name, ":", 4); len(parts) == 4 {
			byNumber[strings.TrimPrefix(f, "pn:")] = parts[3]
		}
	}
	for i, n := range numbers {
		out[i] = byNumber[n]
	}
	return out, nil
}
