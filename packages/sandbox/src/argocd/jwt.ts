// Argo CD's own tokens: HS256 JWTs signed with the server's key (argocd-secret
// `server.secretkey`), as util/session's SessionManager creates and parses them. No JWT library:
// the double must not share a client's parser, and HS256 is a few lines of node:crypto.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export interface ArgoCdClaims {
  iss: string
  sub: string
  iat: number
  nbf?: number
  exp?: number
  jti?: string
  [claim: string]: unknown
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')

export function signJwt(claims: ArgoCdClaims, key: Buffer): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const body = b64url(JSON.stringify(claims))
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')
  return `${head}.${body}.${sig}`
}

/** golang-jwt v5's words for what went wrong (Argo CD prefixes them with "invalid session: "). */
export type JwtVerdict = { ok: true; claims: ArgoCdClaims } | { ok: false; reason: string }

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** The claims without checking anything (Argo CD reads `iss` first to pick the verifier). */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  return parts.length === 3 ? decodeJson(parts[1]!) : undefined
}

/** Signature (HS256 only), then `exp` and `nbf`, as jwt.ParseWithClaims does. */
export function verifyJwt(token: string, key: Buffer, now = Date.now()): JwtVerdict {
  const parts = token.split('.')
  if (parts.length !== 3)
    return { ok: false, reason: 'token is malformed: token contains an invalid number of segments' }
  const head = decodeJson(parts[0]!)
  const claims = decodeJson(parts[1]!)
  if (!head || !claims) return { ok: false, reason: 'token is malformed: could not JSON decode' }
  if (head['alg'] !== 'HS256')
    return {
      ok: false,
      reason: `token is unverifiable: error while executing keyfunc: unexpected signing method: ${String(head['alg'])}`,
    }
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest()
  const given = Buffer.from(parts[2]!, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'token signature is invalid: signature is invalid' }
  const seconds = now / 1000
  const exp = claims['exp']
  if (exp !== undefined && (typeof exp !== 'number' || exp <= seconds))
    return { ok: false, reason: 'token has invalid claims: token is expired' }
  const nbf = claims['nbf']
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > seconds))
    return { ok: false, reason: 'token has invalid claims: token is not valid yet' }
  if (typeof claims['iat'] !== 'number')
    return { ok: false, reason: 'token does not have iat claim' }
  return { ok: true, claims: claims as ArgoCdClaims }
}

export const newSigningKey = (): Buffer => randomBytes(32)
