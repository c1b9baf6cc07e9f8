package whatsapp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// What the channel keeps in Redis about a resident (a delivery in the inbox, a
// message held outside the window) holds their number and what they typed or will
// read, so it is sealed: AES-256-GCM under a key derived from the channel's secret,
// which never is in Redis, as the engine seals chat ids (bot/sealed.go).

type sealer struct{ aead cipher.AEAD }

func newSealer(secret []byte) sealer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("participatiebot whatsapp sealing v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(fmt.Sprintf("whatsapp sealing: %v", err)) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(fmt.Sprintf("whatsapp sealing: %v", err))
	}
	return sealer{aead: aead}
}

// seal encrypts data, bound to what it is (ad), so that a sealed delivery cannot be
// passed off as a held message.
func (s sealer) seal(ad string, data []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(data)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(fmt.Sprintf("whatsapp sealing: %v", err))
	}
	return s.aead.Seal(nonce, nonce, data, []byte(ad))
}

var errSealed = errors.New("sealed data does not open (another key, or changed)")

func (s sealer) open(ad string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errSealed
	}
	out, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, errSealed
	}
	return out, nil
}
