import { holdsMaskedSecret, looksLikeToken } from './secrets.js'

/**
 * Errors are split the way codeql-action splits them: a UserError is something the person running
 * the workflow can fix (an input, a permission, a policy); anything else is a bug in this project.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UserError'
  }
}

/** What quote() returns for a value it will not print; InputError recognises it. */
const WITHHELD = '[a value that looks like a token, not printed]'
const TOKEN_PROBLEM =
  'looks like a token; it was not printed (a token belongs only in a token input, set from a secret)'

/**
 * The one way an input's value is put in a message. The whole value is checked for tokens and
 * masked secrets before it is shortened (the runner masks only a whole secret, so a shortened
 * one would leak); it is cut to `max` characters (never inside a character) and put on one line,
 * with control and bidirectional characters shown as escapes, so no value can start a workflow
 * command, colour a log or reorder what a reader sees.
 */
export function quote(value: string, max = 80): string {
  if (looksLikeToken(value) || holdsMaskedSecret(value)) return WITHHELD
  return printable(shorten(value.replace(/[\r\n\t]+/g, ' '), max))
}

/** An input that is missing or malformed. Raised before any side effect happens. */
export class InputError extends UserError {
  readonly input: string

  /**
   * `problem` and `example` are checked here too, whatever built them: a message that would
   * quote a token says only that the input looks like one.
   */
  constructor(input: string, problem: string, example?: string) {
    const holds = (text: string) =>
      text.includes(WITHHELD) || looksLikeToken(text) || holdsMaskedSecret(text)
    const text = holds(problem) ? TOKEN_PROBLEM : printable(shorten(oneLine(problem), 400))
    const shown = example && !holds(example) ? printable(shorten(oneLine(example), 200)) : ''
    super(`Input '${input}' ${text}${shown ? `. Example: ${input}: ${shown}` : ''}`)
    this.name = 'InputError'
    this.input = input
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ')

/** At most `max` characters (code points: an emoji is never cut in half), '…' marking a cut. */
function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text
}

// C0 and C1 controls, DEL, zero-width and bidirectional formatting characters, line separators.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- these characters are exactly what is escaped
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu

/** Shows every character a terminal or log viewer would act on as a visible \uXXXX escape. */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  )
}
