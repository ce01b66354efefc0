/**
 * A commit status description as GitHub accepts it. GitHub refuses, with a 422, a description
 * longer than 140 characters (code points) and any character of 4 bytes in UTF-8 ("description
 * doesn't accept 4-byte Unicode": emoji, and everything else beyond U+FFFF). A description is
 * a one-line label, so control characters become spaces.
 */
export const MAX_DESCRIPTION = 140

export interface FittedDescription {
  text: string
  /** Emoji or other characters beyond U+FFFF were replaced with U+FFFD. */
  replaced: boolean
  /** Control characters were turned into spaces. */
  flattened: boolean
  /** It was longer than MAX_DESCRIPTION characters and was cut, ending in '…'. */
  shortened: boolean
}

// A run of astral characters with the joiners and variation selectors that bind them (one
// family emoji is five code points) becomes one replacement character. Lone surrogates too.
const ASTRAL_RUN = /(?:[\u{10000}-\u{10FFFF}\uD800-\uDFFF](?:\u200D|\uFE0E|\uFE0F)*)+/gu
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const CONTROL = / *[\u0000-\u001f\u007f-\u009f]+ */g

export function fitDescription(raw: string): FittedDescription {
  let text = raw.replace(ASTRAL_RUN, '\uFFFD')
  const replaced = text !== raw
  const flat = text.replace(CONTROL, ' ').trim()
  const flattened = flat !== text
  text = flat
  // Every character left is a single UTF-16 code unit, so slicing cannot split one.
  const shortened = text.length > MAX_DESCRIPTION
  if (shortened) text = `${text.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…`
  return { text, replaced, flattened, shortened }
}
