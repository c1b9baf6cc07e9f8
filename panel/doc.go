// Package panel draws a lottery panel ("loting") for a participation trajectory: letters
// with a personal code to a stratified random sample of addresses from the population
// register (a BRP extract), so that the people who take part mirror the municipality by
// kern and age group instead of being only those who always come.
//
// The steps, each a plain function without storage:
//
//  1. ReadRegister reads the extract: a CSV with exactly the columns adres, kern and
//     leeftijd. Any other column is refused, because nothing more should be handed over.
//  2. Draw allocates the sample over the strata (kern and/or age group) in proportion to
//     their size with the largest-remainder method and draws a simple random sample
//     without replacement in each stratum from a seeded PCG, so the draw can be repeated
//     and checked by anyone who has the register and the seed. Its Audit is the record
//     for the participatieverslag (JSON, or Dutch text with WriteAudit).
//  3. NewInvites gives every drawn address a personal invitation code (NewCode): random
//     from crypto/rand, with a check character so that a typo is caught before any
//     lookup. The caller stores only HashCode(key, code) with the stratum; the code
//     itself says nothing about the stratum or the address.
//  4. WriteLetters prints one A4 letter per address with the participatiekaart, the
//     code, the links into the bot and a QR code.
//
// Privacy: the address is used for one thing, the address block of the letter. No
// function of this package writes it anywhere else, and error messages name line numbers,
// never an address. Once the letters are printed the caller should keep only the hashed
// codes with their stratum and the audit (which holds counts, never addresses), and
// delete the register extract and the PDF.
package panel
