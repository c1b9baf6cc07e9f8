package bot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Platform chat ids are needed to deliver, so they are stored, but sealed: AES-256-GCM
// under a key derived from the pseudonym key (which never is in Redis), with the
// participant's pseudonym as additional data so a sealed id cannot be moved to another
// record. A Redis dump alone links no pseudonym to a chat.

// sealedPrefix marks a sealed chat id; a stored chat without it is from before sealing
// and is sealed the next time the resident writes.
const sealedPrefix = "v1."

func newChatAEAD(secret []byte) cipher.AEAD {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("participatiebot chat id sealing v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(fmt.Sprintf("chat id sealing: %v", err)) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(fmt.Sprintf("chat id sealing: %v", err))
	}
	return aead
}

// sealChat returns the chat id sealed for participant pid.
func (e *Engine) sealChat(pid, chat string) string {
	nonce := make([]byte, e.chats.NonceSize(), e.chats.NonceSize()+len(chat)+e.chats.Overhead())
	_, _ = rand.Read(nonce) // never fails (crypto/rand since Go 1.24)
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(e.chats.Seal(nonce, nonce, []byte(chat), []byte(pid)))
}

// openChat returns the chat id that sealChat sealed for pid.
func (e *Engine) openChat(pid, sealed string) (string, error) {
	enc, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return sealed, nil // stored before sealing
	}
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || len(b) < e.chats.NonceSize() {
		return "", errors.New("open sealed chat id: malformed")
	}
	n := e.chats.NonceSize()
	chat, err := e.chats.Open(nil, b[:n], b[n:], []byte(pid))
	if err != nil {
		return "", fmt.Errorf("open sealed chat id: %w", err)
	}
	return string(chat), nil
}

func isSealed(chat string) bool { return strings.HasPrefix(chat, sealedPrefix) }
