package telegram

import "sync"

// maxFileIDs bounds the remembered file_ids, so that memory does not grow with the
// number of rounds whose charts were ever sent; a forgotten chart is uploaded again.
const maxFileIDs = 4096

// fileIDs maps a shared attachment (bot.File.Ref) to the file_id Telegram gave its
// first upload, so a chart sent to a thousand residents is uploaded once. It is
// safe for concurrent use; the zero value is empty.
type fileIDs struct {
	mu  sync.Mutex
	ids map[string]string
}

// Load is the file_id of ref; never one for the empty ref.
func (f *fileIDs) Load(ref string) (string, bool) {
	if ref == "" {
		return "", false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.ids[ref]
	return id, ok
}

// Store remembers the file_id of ref, forgetting all others when full.
func (f *fileIDs) Store(ref, id string) {
	if ref == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ids == nil || len(f.ids) >= maxFileIDs {
		f.ids = make(map[string]string)
	}
	f.ids[ref] = id
}

// Delete forgets ref and reports whether it had a file_id.
func (f *fileIDs) Delete(ref string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.ids[ref]
	delete(f.ids, ref)
	return ok
}
