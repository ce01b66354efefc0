import * as core from '@actions/core'
import { InputError, quote } from './errors.js'
import { holdsSecret, looksLikeToken, maskSecret, tokenLikeParts } from './secrets.js'

/**
 * Typed input getters. Each throws an InputError that names the input, says what is wrong and
 * shows a valid value, so a user never has to read our source to fix a workflow.
 */

export type InputReader = (name: string) => string

/** Reads like @actions/core (INPUT_<NAME>), trimmed; '' when unset. */
export const readActionInput: InputReader = (name) => core.getInput(name)

/** The inputs that hold a token: the only ones a token-shaped value may be given to. */
export const TOKEN_INPUTS: readonly string[] = ['token']

// C0 controls but tab and line breaks, DEL, C1 controls, bidirectional overrides and isolates:
// no text a workflow passes needs them, and each can hide or rewrite what a log shows.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/**
 * Checks every input the runner passed (INPUT_*) before the action reads any, so no action can
 * forget it: a value that looks like a token, or holds a token input's value or a piece of it,
 * in any other input is refused without being printed (and is masked, should anything print it
 * later); so is a control character anywhere. Token inputs are masked first.
 */
export function refuseHostileInputs(
  env: NodeJS.ProcessEnv = process.env,
  tokenInputs: readonly string[] = TOKEN_INPUTS,
): void {
  const secretKeys = new Set(tokenInputs.map(inputEnvName))
  const secrets = [...secretKeys].map((k) => (env[k] ?? '').trim()).filter(Boolean)
  for (const secret of secrets) maskSecret(secret)
  const inputs = Object.entries(env).filter(([k, v]) => k.startsWith('INPUT_') && v)
  for (const [key, value = ''] of inputs) {
    if (secretKeys.has(key)) continue
    if (holdsSecret(value, secrets)) {
      const only = tokenInputs.map((n) => `'${n}'`).join(' or ')
      throw new InputError(
        inputName(key),
        `contains the token (or a part of it); it was not printed. Only ${only} may hold it`,
      )
    }
    if (looksLikeToken(value)) {
      for (const part of tokenLikeParts(value)) maskSecret(part)
      throw new InputError(inputName(key), quote(value))
    }
  }
  for (const [key, value = ''] of inputs) {
    const bad = CONTROL.exec(value)
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
      throw new InputError(
        inputName(key),
        `contains the control character U+${code}; inputs are plain text (the value is not shown)`,
      )
    }
  }
}

/** The runner's environment name for an input: INPUT_ + upper case, spaces to underscores. */
const inputEnvName = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
const inputName = (key: string) => key.slice('INPUT_'.length).toLowerCase()

export interface StringOptions {
  required?: boolean
  example?: string
  /** Characters at most; default 1024 (no name, label or path we take is longer). */
  max?: number
}

/** A one-line text input: a line break in it could start a workflow command when it is logged. */
export function getString(read: InputReader, name: string, opts: StringOptions = {}): string {
  const value = read(name).trim()
  if (!value && opts.required) throw new InputError(name, 'is required but empty', opts.example)
  if (/[\r\n]/.test(value)) {
    throw new InputError(name, 'must be one line; it has a line break', opts.example)
  }
  const max = opts.max ?? 1024
  const length = [...value].length
  if (length > max) {
    throw new InputError(name, `is ${length} characters long; at most ${max}`, opts.example)
  }
  return value
}

export function getEnum<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = read(name).trim()
  if (!value) {
    if (fallback !== undefined) return fallback
    throw new InputError(name, `is required; one of: ${allowed.join(', ')}`, allowed[0])
  }
  const match = allowed.find((a) => a === value.toLowerCase())
  if (!match) {
    throw new InputError(
      name,
      `has an unknown value '${clip(value)}'; one of: ${allowed.join(', ')}`,
      allowed[0],
    )
  }
  return match
}

export function getBoolean(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim().toLowerCase()
  if (!value) return fallback
  if (['true', 'yes', '1'].includes(value)) return true
  if (['false', 'no', '0'].includes(value)) return false
  throw new InputError(name, `must be true or false, not '${clip(value)}'`, String(fallback))
}

export interface IntegerOptions {
  fallback: number
  min: number
  max: number
}

export function getInteger(read: InputReader, name: string, opts: IntegerOptions): number {
  const value = read(name).trim()
  if (!value) return opts.fallback
  if (!/^\d+$/.test(value)) {
    throw new InputError(
      name,
      `must be a whole number, not '${clip(value)}'`,
      String(opts.fallback),
    )
  }
  const n = Number(value)
  if (n < opts.min || n > opts.max) {
    throw new InputError(
      name,
      `must be between ${opts.min} and ${opts.max}, not ${value}`,
      String(opts.fallback),
    )
  }
  return n
}

/** An absolute http(s) URL. Credentials inside a URL are refused: they would end up in logs. */
export function getUrl(
  read: InputReader,
  name: string,
  opts: { required?: boolean; fallback?: string; example: string },
): string {
  const value = read(name).trim() || opts.fallback || ''
  if (!value) {
    if (opts.required) throw new InputError(name, 'is required but empty', opts.example)
    return ''
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, `is not an absolute URL: '${clip(value)}'`, opts.example)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(name, `must be an http or https URL, not ${url.protocol}`, opts.example)
  }
  if (url.username || url.password) {
    throw new InputError(name, 'must not contain credentials', opts.example)
  }
  return value
}

export interface Repository {
  owner: string
  repo: string
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const REPO = /^[A-Za-z0-9._-]{1,100}$/

export function getRepository(read: InputReader, name: string, fallback?: string): Repository {
  const value = read(name).trim() || fallback || ''
  const example = 'my-org/argocd-deploy-non-prod'
  if (!value) throw new InputError(name, 'is required but empty', example)
  const [owner, repo, ...rest] = value.split('/')
  if (
    rest.length ||
    !owner ||
    !repo ||
    !OWNER.test(owner) ||
    !REPO.test(repo) ||
    /^\.+$/.test(repo)
  ) {
    throw new InputError(name, `must be 'owner/name', not '${clip(value)}'`, example)
  }
  return { owner, repo }
}

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** An ISO-8601 date or date-time; a time without zone is read as UTC. */
export function getDate(read: InputReader, name: string): Date | undefined {
  const value = read(name).trim()
  if (!value) return undefined
  const example = '2026-11-22T10:00:00Z'
  if (!ISO_8601.test(value)) {
    throw new InputError(name, `must be an ISO-8601 date-time, not '${clip(value)}'`, example)
  }
  // Date() rolls impossible fields over (2026-02-30 becomes March 2): check them first.
  const fields = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value)!
  const [y, mo, d, h = 0, mi = 0, s = 0] = fields.slice(1).map((f) => Number(f ?? 0))
  const lastDay = new Date(Date.UTC(y!, mo!, 0)).getUTCDate()
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > lastDay || h > 23 || mi > 59 || s > 59) {
    throw new InputError(name, `is not a real date: '${clip(value)}'`, example)
  }
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.includes('T')
  const normalised = value.includes('T') || value.includes(' ') ? value.replace(' ', 'T') : value
  const date = new Date(hasZone || normalised.length === 10 ? normalised : `${normalised}Z`)
  if (Number.isNaN(date.getTime())) {
    throw new InputError(name, `is not a real date: '${clip(value)}'`, example)
  }
  return date
}

/**
 * A token input. Its value is never echoed: errors describe the problem only.
 * Tokens are single-line printable ASCII; anything else is a copy-paste accident.
 */
export function getToken(read: InputReader, name: string): string {
  const value = read(name).trim()
  if (!value) {
    throw new InputError(
      name,
      'is required but empty (the secret may not be set or not be available to this workflow)',
      '${{ secrets.ARGOCD_GITHUB_NONPROD }}',
    )
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(
      name,
      'contains whitespace or non-printable characters (the value is not shown)',
      '${{ secrets.ARGOCD_GITHUB_NONPROD }}',
    )
  }
  return value
}

/**
 * Quotes an input's value in a message: shortened, on one line, never a token (see quote in
 * errors.ts). Every InputError that shows a value goes through it.
 */
export function clip(value: string, max = 80): string {
  return quote(value, max)
}
