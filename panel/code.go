package panel

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Alphabet is the alphabet of invitation codes: the digits 2-9 and the capitals without
// I, L and O, so that no character can be read as another (0/O, 1/I/L). Its 31
// characters are a prime number, which makes the check character catch every single
// typo (see NewCode).
const Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const (
	// codeData is the number of random characters: 11 × log2(31) ≈ 54.5 bits, so with
	// 30,000 codes out, one guess hits one with a chance of about 1 in 10^12.
	codeData = 11
	// CodeLen is the length of a code without dashes: the data and one check character.
	CodeLen = codeData + 1
)

// NewCode is a fresh invitation code such as "K7QM-X3VD-R9TC": 11 characters drawn
// uniformly from Alphabet with crypto/rand and a check character, printed in groups of
// four. The check character c₁₂ makes Σ i·cᵢ ≡ 0 (mod 31) over the positions i = 1..12,
// with each character's value its index in Alphabet. Since 31 is prime and every
// weight is below 31, changing one character changes the sum by i·d ≢ 0 for any
// difference d ≠ 0, and swapping two different characters at i and j by (j−i)·d ≢ 0:
// every single substitution and every transposition is caught.
func NewCode() string {
	var v [CodeLen]byte
	buf := make([]byte, 32)
	n := 0
	for n < codeData {
		rand.Read(buf) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
		for _, b := range buf {
			if b < 248 && n < codeData { // 248 = 8·31: rejecting the rest keeps it uniform
				v[n] = b % 31
				n++
			}
		}
	}
	v[codeData] = checkValue(v[:codeData])
	return format(v[:])
}

// checkValue is the check character's value for the data values.
func checkValue(data []byte) byte {
	sum := 0
	for i, x := range data {
		sum += (i + 1) * int(x)
	}
	// c·12 ≡ −sum (mod 31); 12⁻¹ ≡ 13 (mod 31), as 12·13 = 156 = 5·31 + 1.
	return byte(((31 - sum%31) % 31 * 13) % 31)
}

// format writes the values as characters in groups of four.
func format(v []byte) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(Alphabet[x])
	}
	return b.String()
}

// NormaliseCode reads a code as a resident typed it and gives it back in the printed
// form ("K7QM-X3VD-R9TC"), or false when it is not a valid code: lower case, spaces
// and dashes anywhere are accepted, but not the characters the alphabet leaves out
// (0, O, 1, I, L: none of them has one sure meaning in it, so they are refused rather
// than guessed), and not a code whose check character does not match. A false needs
// no lookup.
func NormaliseCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	v := make([]byte, 0, CodeLen)
	for _, r := range strings.ToUpper(s) {
		if r == ' ' || r == '-' || r == '\t' || r == '\u00a0' {
			continue
		}
		i := strings.IndexRune(Alphabet, r)
		if i < 0 || len(v) == CodeLen {
			return "", false
		}
		v = append(v, byte(i))
	}
	if len(v) != CodeLen || checkValue(v[:codeData]) != v[codeData] {
		return "", false
	}
	return format(v), true
}

// Compact is the code without dashes, as it goes into a link: "K7QMX3VDR9TC".
func Compact(code string) string { return strings.ReplaceAll(code, "-", "") }

// HashCode is the hex HMAC-SHA256 of the normalised code under key: what storage
// keeps instead of the code (with the stratum beside it), so that a leaked store gives
// no usable code. A code that does not normalise is hashed as given, so it never
// matches a stored hash.
func HashCode(key []byte, code string) string {
	if c, ok := NormaliseCode(code); ok {
		code = c
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// Invite is one letter: the drawn address, its stratum and its code.
type Invite struct {
	// Address and Kern go on the letter and nowhere else.
	Address string
	Kern    string
	// Stratum is the key of the address's stratum; the caller stores it with
	// HashCode(key, Code) and never with the address.
	Stratum string
	Code    string
}

// NewInvites gives every drawn resident a fresh code, all distinct, in the order of
// l.Drawn. The codes exist only in the result: the caller prints them (WriteLetters)
// and stores their hashes.
func NewInvites(l *Loting) ([]Invite, error) {
	if l == nil || len(l.Drawn) == 0 {
		return nil, errors.New("uitnodigingen: niemand getrokken")
	}
	seen := make(map[string]bool, len(l.Drawn))
	out := make([]Invite, len(l.Drawn))
	for i, d := range l.Drawn {
		code := NewCode()
		for tries := 0; seen[code]; tries++ { // about 1 in 10^8 for 30,000 codes
			if tries == 10 {
				return nil, fmt.Errorf("uitnodigingen: geen unieke code na %d pogingen", tries)
			}
			code = NewCode()
		}
		seen[code] = true
		out[i] = Invite{Address: d.Address, Kern: d.Kern, Stratum: d.Stratum, Code: code}
	}
	return out, nil
}
