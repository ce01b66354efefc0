// Calls to the Argo CD double the way Argo CD clients make them: a bearer token, JSON back.
export interface ArgoAnswer {
  status: number
  contentType: string
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
}

export async function argoGet(base: string, path: string, token?: string): Promise<ArgoAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`
  const res = await fetch(base + path, { headers })
  const text = await res.text()
  const contentType = res.headers.get('content-type') ?? ''
  return {
    status: res.status,
    contentType,
    json: contentType.startsWith('application/json') ? JSON.parse(text) : text,
  }
}

/** GET /api/v1/account/can-i/{resource}/{action}/{object}: the object URL-encoded. */
export async function canI(
  base: string,
  token: string,
  resource: string,
  action: string,
  object: string,
): Promise<string> {
  const res = await argoGet(
    base,
    `/api/v1/account/can-i/${resource}/${action}/${encodeURIComponent(object)}`,
    token,
  )
  if (res.status !== 200)
    throw new Error(`can-i answered ${res.status}: ${JSON.stringify(res.json)}`)
  return res.json.value as string
}

/** A JWT with these claims, signed by nobody the sandbox knows (for forged and foreign tokens). */
export function forgedJwt(claims: Record<string, unknown>, signature = 'c2lnbmF0dXJl'): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${signature}`
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}
