// Package themes groups open answers into themes by their shared key terms (Dutch
// stop words left out, words reduced to a stem, diacritics folded), for the results,
// the digest and the dashboard: every theme is a term, its count and how it reads
// (ThemeLine), never the answers themselves. It is plain text processing and knows
// no survey or round.
package themes
