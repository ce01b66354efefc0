import * as http from 'node:http'
import * as net from 'node:net'
import type { AddressInfo } from 'node:net'
import * as zlib from 'node:zlib'
import { httpFetch } from '../src/http-fetch.js'

// httpFetch against real servers on loopback: what Octokit and getJson read of an answer, the
// failures fetch would report, and the runner's proxy settings.

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void
const servers: { close(): void }[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
  delete process.env.http_proxy
  delete process.env.HTTP_PROXY
})

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d))
    req.on('end', () => handler(req, body, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push({ close: () => server.close() && server.closeAllConnections() })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

test('sends the method, headers and body, and reads status, headers and text', async () => {
  let seen: { method?: string; headers?: http.IncomingHttpHeaders; body?: string } = {}
  const url = await serve((req, body, res) => {
    seen = { method: req.method, headers: req.headers, body }
    res.setHeader('x-one', ['a', 'b'])
    res.setHeader('content-type', 'application/json; charset=utf-8')
    res.writeHead(201, 'Made').end('{"ok":true}')
  })
  const res = await httpFetch(`${url}/graphql?x=1`, {
    method: 'post',
    headers: { Authorization: 'bearer t', 'Content-Type': 'application/json' },
    body: '{"query":"é"}',
  })
  expect(seen.method).toBe('POST')
  expect(seen.headers).toMatchObject({
    authorization: 'bearer t',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength('{"query":"é"}')),
  })
  expect(seen.body).toBe('{"query":"é"}')
  expect([res.status, res.statusText, res.ok, res.url]).toEqual([
    201,
    'Made',
    true,
    `${url}/graphql?x=1`,
  ])
  expect(res.headers.get('X-One')).toBe('a, b')
  expect(Object.fromEntries(res.headers)).toMatchObject({ 'x-one': 'a, b' })
  expect(await res.json()).toEqual({ ok: true })
  expect(await res.text()).toBe('{"ok":true}')
})

test('sends bytes as they are, and reads an answer as bytes', async () => {
  const url = await serve((_req, body, res) => res.end(Buffer.from([0, 1, 2, body.length])))
  const res = await httpFetch(url, { method: 'PUT', body: new Uint8Array([7, 8, 9]) })
  expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 3])
})

test.each([
  ['gzip', zlib.gzipSync],
  ['deflate', zlib.deflateSync],
  ['br', zlib.brotliCompressSync],
])('decodes a %s answer, as fetch does', async (encoding, encode) => {
  let accepted: string | undefined
  const url = await serve((req, _body, res) => {
    accepted = req.headers['accept-encoding']
    res.writeHead(200, { 'content-encoding': encoding }).end(encode(Buffer.from('{"a":1}')))
  })
  expect(await (await httpFetch(url)).json()).toEqual({ a: 1 })
  expect(accepted).toBe('gzip, deflate, br')
})

test('a body that does not decode is a failure, not an empty answer', async () => {
  const url = await serve((_req, _body, res) =>
    res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
  )
  await expect(httpFetch(url)).rejects.toMatchObject({
    name: 'TypeError',
    message: 'fetch failed',
    cause: expect.objectContaining({ code: 'Z_DATA_ERROR' }),
  })
})

test('a redirect is handed back, never followed', async () => {
  let hits = 0
  const url = await serve((_req, _body, res) => {
    hits++
    res.writeHead(302, { location: 'http://elsewhere.invalid/x' }).end()
  })
  const res = await httpFetch(url, { redirect: 'follow' })
  expect([res.status, res.headers.get('location'), hits]).toEqual([
    302,
    'http://elsewhere.invalid/x',
    1,
  ])
})

test('a timeout rejects with the signal’s reason and frees the socket, even mid-answer', async () => {
  let closed = 0
  const url = await serve((req, _body, res) => {
    req.socket.on('close', () => closed++)
    res.writeHead(200).write('{"partial":') // and never ends
  })
  const started = Date.now()
  await expect(httpFetch(url, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
    name: 'TimeoutError',
  })
  expect(Date.now() - started).toBeLessThan(2000)
  await new Promise((r) => setTimeout(r, 100))
  expect(closed).toBe(1)
})

test('an aborted signal sends nothing', async () => {
  let hits = 0
  const url = await serve((_req, _body, res) => (hits++, res.end()))
  const controller = new AbortController()
  controller.abort()
  await expect(httpFetch(url, { signal: controller.signal })).rejects.toMatchObject({
    name: 'AbortError',
  })
  expect(hits).toBe(0)
})

test('a connection reset before or during the answer is fetch’s TypeError, with the cause', async () => {
  const before = await serve((req) => req.socket.destroy())
  await expect(httpFetch(before)).rejects.toMatchObject({
    name: 'TypeError',
    message: 'fetch failed',
    cause: expect.objectContaining({ code: 'ECONNRESET' }),
  })
  const during = await serve((req, _body, res) => {
    res.writeHead(200, { 'content-length': '100' }).write('{"cut":')
    setTimeout(() => req.socket.destroy(), 20)
  })
  await expect(httpFetch(during)).rejects.toMatchObject({
    name: 'TypeError',
    cause: expect.objectContaining({ code: 'ECONNRESET', message: 'aborted' }),
  })
  // Nothing listens here: refused.
  await expect(httpFetch('http://127.0.0.1:1/')).rejects.toMatchObject({
    cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
  })
})

test('what it cannot send is refused before anything is sent', async () => {
  await expect(httpFetch('ftp://127.0.0.1/x')).rejects.toThrow(/unsupported protocol ftp:/)
  let hits = 0
  const url = await serve((_req, _body, res) => (hits++, res.end()))
  await expect(
    httpFetch(url, { method: 'POST', body: new URLSearchParams({ a: '1' }) }),
  ).rejects.toThrow(/only a string or bytes/)
  expect(hits).toBe(0)
})

test('connections are kept alive between requests to one origin', async () => {
  const ports = new Set<number>()
  const url = await serve((req, _body, res) => (ports.add(req.socket.remotePort!), res.end('x')))
  for (let i = 0; i < 3; i++) await (await httpFetch(url)).text()
  expect(ports.size).toBe(1)
})

test('the runner’s proxy setting is honoured (HTTP_PROXY, CONNECT), as by the git transport', async () => {
  const target = await serve((req, _body, res) => res.end(`served ${req.headers.host}`))
  const connects: string[] = []
  const proxy = net.createServer()
  proxy.on('connection', (client) => {
    client.once('data', (head: Buffer) => {
      connects.push(head.toString('latin1').split('\r\n')[0])
      const upstream = net.connect(Number(new URL(target).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n')
        upstream.pipe(client).pipe(upstream)
      })
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  servers.push({ close: () => proxy.close() })
  process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  const res = await httpFetch('http://deploy.example.test:8080/path')
  expect(await res.text()).toBe('served deploy.example.test:8080')
  expect(connects).toEqual(['CONNECT deploy.example.test:8080 HTTP/1.1'])
})
