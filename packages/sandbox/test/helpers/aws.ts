// Helpers for the AWS double's tests: catch SDK errors, and send hand-signed raw requests to see
// the exact bytes on the wire.
import { request as httpRequest } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

export interface SdkError extends Error {
  $metadata: { httpStatusCode?: number; attempts?: number }
  $fault?: string
  Type?: string
}

/** The rejection of a promise that must fail. */
export async function caught(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p
  } catch (err) {
    return err as SdkError
  }
  throw new Error('expected the call to fail')
}

export interface RawResponse {
  status: number
  /** Lowercased names. */
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** POST / signed with SigV4, as the SDK would send it. */
export async function signedPost(
  url: string,
  opts: {
    service: 'ssm' | 'sts'
    region?: string
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
    headers: Record<string, string>
    body: string
  },
): Promise<RawResponse> {
  const u = new URL(url)
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    headers: { host: u.host, ...opts.headers },
    body: opts.body,
  })
  const signer = new SignatureV4({
    service: opts.service,
    region: opts.region ?? 'us-east-2',
    credentials: opts.credentials,
    sha256: Sha256,
  })
  const signed = await signer.sign(request)
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: Number(u.port),
        path: '/',
        method: 'POST',
        headers: signed.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}
