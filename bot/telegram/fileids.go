package telegram

import (
	"context"
	"sync"
	"time"
)

// maxFileIDs bounds the remembered file_ids, so that memory does not grow with the
// number of rounds whose charts were ever sent; a forgotten chart is uploaded again.
const maxFileIDs = 4096

// fileIDs maps a shared attachment (bot.File.Ref) to the file_id Telegram gave its
// first upload, so a chart sent to a thousand residents is uploaded once, also when
// many senders send it at the same moment (begin). It is safe for concurrent use; the
// zero value is empty.
type fileIDs struct {
	mu  sync.Mutex
	ids map[string]string
	// uploading holds the refs a send is uploading for the first time; the channel
	// closes when it is done (learnt or not)
	uploading map[string]chan struct{}
}

// uploadWait bounds how long a send waits for another's first upload of the same
// image before it uploads the image itself.
const uploadWait = 20 * time.Second

// begin prepares a send of the shared images refs: while another send is uploading
// one of them for the first time it waits (up to uploadWait, or ctx), so that the
// send goes by the file_id that upload learns; then it takes on the upload of those
// of refs without a file_id. done ends that: call it once the send is answered and
// its file_ids are stored.
func (f *fileIDs) begin(ctx context.Context, refs []string) (done func()) {
	deadline := time.NewTimer(uploadWait)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		var busy chan struct{}
		for _, ref := range refs {
			if _, known := f.ids[ref]; !known && ref != "" && f.uploading[ref] != nil {
				busy = f.uploading[ref]
				break
			}
		}
		if busy == nil {
			mine := make(chan struct{})
			var taken []string
			for _, ref := range refs {
				if _, known := f.ids[ref]; !known && ref != "" {
					if f.uploading == nil {
						f.uploading = make(map[string]chan struct{})
					}
					f.uploading[ref] = mine
					taken = append(taken, ref)
				}
			}
			f.mu.Unlock()
			return func() {
				f.mu.Lock()
				defer f.mu.Unlock()
				for _, ref := range taken {
					if f.uploading[ref] == mine {
						delete(f.uploading, ref)
					}
				}
				close(mine)
			}
		}
		f.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return func() {}
		case <-deadline.C:
			return func() {}
		}
	}
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
