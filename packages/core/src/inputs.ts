import * as core from '@actions/core'
import { InputError } from './errors.js'

/**
 * Typed input getters. Each throws an InputError that names the input, says what is wrong and
 * shows a valid value, so a user never has to read our source to fix a workflow.
 */

export type InputReader = (name: string) => string

/** Reads like @actions/core (INPUT_<NAME>), trimmed; '' when unset. */
export const readActionInput: InputReader = (name) => core.getInput(name)

export interface StringOptions {
  required?: boolean
  example?: string
}

export function getString(read: InputReader, name: string, opts: StringOptions = {}): string {
  const value = read(name).trim()
  if (!value && opts.required) throw new InputError(name, 'is required but empty', opts.example)
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

/** Long or multi-line values are cut in messages so errors stay readable. */
export function clip(value: string, max = 80): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ')
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine
}
