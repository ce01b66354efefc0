import * as core from '@actions/core'
import { JWT_LIKE, looksLikeJwt } from './jwt.js'

/**
 * Every form a token can take on its way to a server: raw, the basic-auth header git uses
 * (base64 of `x-access-token:<token>`), plain base64 and URL-encoding; for a JWT (an Argo CD
 * token) also each of its segments, since a log may show one alone (a decoded or split header).
 * Each is registered with the runner so that none of them can appear in a log, even through a
 * library's debug output.
 */
export function derivedForms(secret: string): string[] {
  const forms = [
    secret,
    Buffer.from(`x-access-token:${secret}`, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64'),
    encodeURIComponent(secret),
    ...(looksLikeJwt(secret) ? secret.split('.').filter((part) => part.length >= 8) : []),
  ]
  return [...new Set(forms.filter((f) => f.length > 0))]
}

const registered = new Set<string>()

/** Masks a secret in the runner's logs and remembers it so failure messages can be scrubbed. */
export function maskSecret(secret: string, setSecret: (s: string) => void = core.setSecret): void {
  // Once is enough: runAction masks the token inputs before the action masks its token again.
  if (!secret || registered.has(secret)) return
  registered.add(secret)
  for (const form of derivedForms(secret)) setSecret(form)
}

/** Scrubs every secret masked so far (and its derived forms) from a text. */
export function redactMasked(text: string): string {
  return redact(text, [...registered])
}

/** Replaces every derived form of each secret in text: for messages built from server replies. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of derivedForms(secret)) out = out.split(form).join('***')
  }
  return out
}

/**
 * The prefixes of every kind of token we know (design/tokens.md section 2, the same kinds
 * tokens/kind.ts tells apart). A test checks the two lists agree.
 */
export const TOKEN_PREFIXES = [
  'github_pat_',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'glpat-',
  'ATCTT',
  'ATATT',
  'ATBB',
] as const

// A prefix at the start of a word, then at least 8 token characters: 'ghp_' alone, or
// 'laughs_and', is text; 'ghp_a1B2c3D4' is (a piece of) a token.
const TOKEN_LIKE = new RegExp(
  `(?<![A-Za-z0-9])(?:${TOKEN_PREFIXES.join('|')})[A-Za-z0-9_.=+/-]{8,}`,
)

/** Whether a text holds something shaped like a token of a known kind, or a JWT (Argo CD's). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_LIKE.test(text) || JWT_LIKE.test(text)
}

/** Every token-shaped run in a text (to mask them). */
export function tokenLikeParts(text: string): string[] {
  return [TOKEN_LIKE, JWT_LIKE].flatMap((re) =>
    [...text.matchAll(new RegExp(re.source, 'g'))].map((m) => m[0]),
  )
}

/** Shorter runs of a secret are too common to mean anything; longer ones are a leak. */
export const FRAGMENT = 12

/**
 * Whether a text holds one of the secrets, a derived form of one, or any run of FRAGMENT
 * characters of one: a shortened or partly pasted secret is still a secret.
 */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) {
    if (!secret) continue
    if (derivedForms(secret).some((form) => text.includes(form))) return true
    for (let i = 0; i + FRAGMENT <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + FRAGMENT))) return true
    }
  }
  return false
}

/** holdsSecret for every secret masked so far in this process. */
export function holdsMaskedSecret(text: string): boolean {
  return holdsSecret(text, [...registered])
}
