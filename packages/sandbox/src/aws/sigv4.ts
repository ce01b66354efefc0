// SigV4 verification: parse the Authorization header, re-sign the request's signed headers and body
// with the secret of its access key id (@smithy/signature-v4), and compare.
import { createHash, timingSafeEqual } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

export interface ParsedAuthorization {
  accessKeyId: string
  date: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})\s*$/

export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined
  const m = AUTH.exec(header.trim())
  if (!m) return undefined
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  }
}

/** 20240102T030405Z → Date. */
function parseAmzDate(s: string | undefined): Date | undefined {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null
  if (!m) return undefined
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, ...number[]]
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, se!))
}

export type VerifyResult = { ok: true } | { ok: false; reason: string }

/** Recomputes the signature; never throws. */
export async function verifySignature(
  auth: ParsedAuthorization,
  secretAccessKey: string,
  req: { method: string; path: string; headers: Record<string, string>; body: Buffer },
): Promise<VerifyResult> {
  const signingDate = parseAmzDate(req.headers['x-amz-date'])
  if (!signingDate) return { ok: false, reason: 'missing or malformed x-amz-date' }
  if (!auth.date || !req.headers['x-amz-date']!.startsWith(auth.date))
    return { ok: false, reason: 'credential scope date does not match x-amz-date' }
  if (!auth.signedHeaders.includes('host')) return { ok: false, reason: 'host is not signed' }
  const declared = req.headers['x-amz-content-sha256']
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD') {
    const actual = createHash('sha256').update(req.body).digest('hex')
    if (declared !== actual)
      return { ok: false, reason: 'x-amz-content-sha256 does not match body' }
  }
  const headers: Record<string, string> = {}
  for (const name of auth.signedHeaders) {
    const value = req.headers[name]
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` }
    headers[name] = value
  }
  const url = new URL(req.path, 'http://placeholder')
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) {
    const prev = query[k]
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  const [hostname, port] = splitHost(headers['host']!)
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname,
    ...(port !== undefined ? { port } : {}),
    path: url.pathname,
    query,
    headers,
    body: req.body,
  })
  try {
    const signer = new SignatureV4({
      service: auth.service,
      region: auth.region,
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
      sha256: Sha256,
      applyChecksum: false,
    })
    const signed = await signer.sign(request, {
      signingDate,
      signingRegion: auth.region,
      signingService: auth.service,
      // Sign exactly what the client signed, even headers smithy would otherwise skip.
      signableHeaders: new Set(auth.signedHeaders),
    })
    const m = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))
    const sh = /SignedHeaders=([^,]+)/.exec(String(signed.headers['authorization']))
    if (!m || !sh) return { ok: false, reason: 'could not recompute the signature' }
    if (sh[1] !== auth.signedHeaders.join(';'))
      return { ok: false, reason: 'signed header list differs' }
    const a = Buffer.from(m[1]!, 'hex')
    const b = Buffer.from(auth.signature, 'hex')
    return a.length === b.length && timingSafeEqual(a, b)
      ? { ok: true }
      : { ok: false, reason: 'signature mismatch' }
  } catch (err) {
    return { ok: false, reason: `signing failed: ${String(err)}` }
  }
}

function splitHost(host: string): [string, number | undefined] {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host)
  if (!m) return [host, undefined]
  return [m[1]!, m[2] !== undefined ? Number(m[2]) : undefined]
}
