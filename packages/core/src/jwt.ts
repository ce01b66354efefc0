/**
 * Reading a JWT's claims without checking its signature: the key is the issuer's, not ours, and
 * the server is asked what the token may do. Only the payload is decoded; nothing here is proof.
 */

/** Three base64url segments, the first two JSON objects (`eyJ` is base64 of `{"`). */
export const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/** A JWT inside a longer text (a header, a server's words), for scrubbing and refusing. */
export const JWT_LIKE =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/

export const looksLikeJwt = (text: string): boolean => JWT_SHAPE.test(text)

export type JwtClaims = Record<string, unknown>

/** The payload's claims, or why they cannot be read (never quoting the token). */
export function readJwtClaims(token: string): { claims: JwtClaims } | { problem: string } {
  if (!looksLikeJwt(token))
    return { problem: 'is not a JWT (three base64url segments, header and payload JSON objects)' }
  const [header, payload] = token.split('.')
  const parsed = [header, payload].map((segment) => {
    try {
      const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as JwtClaims)
        : undefined
    } catch {
      return undefined
    }
  })
  if (!parsed[0]) return { problem: 'is a JWT whose header segment is not a JSON object' }
  if (!parsed[1]) return { problem: 'is a JWT whose payload segment is not a JSON object' }
  return { claims: parsed[1] }
}

/** A NumericDate claim (`exp`, `iat`, `nbf`: seconds since 1970) as a Date; undefined if absent. */
export function claimDate(claims: JwtClaims, name: string): Date | undefined | 'invalid' {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return 'invalid'
  return new Date(value * 1000)
}
