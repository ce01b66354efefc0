// A thin fetch wrapper for tests: status, headers and parsed JSON in one object.
export interface Response {
  status: number
  headers: Headers
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; auth?: string; body?: unknown; rawBody?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (opts.auth !== undefined) headers['authorization'] = opts.auth
  else if (opts.token !== undefined) headers['authorization'] = `token ${opts.token}`
  let body: string | undefined
  if (opts.rawBody !== undefined) body = opts.rawBody
  else if (opts.body !== undefined) body = JSON.stringify(opts.body)
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined }
}
