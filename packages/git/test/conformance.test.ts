import {
  CapabilityMissingError,
  ObjectStore,
  PushRejectedError,
  replaceAt,
  rootTreeOf,
  serializeCommit,
  SmartHttpRemote,
  writeBlob,
  type RemoteOptions,
} from '../src/index.js'
import {
  GITHUB_LIKE,
  startBackend,
  type BackendOptions,
  type BackendServer,
} from './http-backend.js'

// packages/git against real `git http-backend` in the server configurations it may meet.
const AUTH = 'Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0'
const servers: BackendServer[] = []
async function server(opts: BackendOptions = {}) {
  const s = await startBackend(opts)
  servers.push(s)
  return s
}
afterAll(async () => {
  for (const s of servers) await s.close()
})
const remoteOf = (s: BackendServer, extra: Partial<RemoteOptions> = {}) =>
  new SmartHttpRemote({ url: s.url, authorization: AUTH, timeoutMs: 10_000, ...extra })
const who = { name: 'a', email: 'a@example.com', time: 1_700_000_000 }

/** A release as the sync action makes one: read the tip, write one file, push on the tip. */
async function release(s: BackendServer, file: string[], content: string, old?: string) {
  const remote = remoteOf(s)
  const tip = (await remote.lsRefs(['refs/heads/main'])).get('refs/heads/main')!
  const objects = new ObjectStore(remote)
  await objects.fetchTip(tip)
  const root = rootTreeOf(objects, tip)
  const next = (await replaceAt(objects, root, file, {
    blob: await writeBlob(objects, content),
  }))!
  const commit = objects.add(
    'commit',
    serializeCommit({ tree: next, parents: [tip], author: who, committer: who, message: 'x\n' }),
  )
  await remote.push(
    { ref: 'refs/heads/main', old: old ?? tip, new: commit },
    objects.toPush(commit),
  )
  return { tip, commit }
}

describe('GitHub-like: protocol v2, only tree:0 and blob:none, any id in want, fsckObjects', () => {
  let s: BackendServer
  beforeAll(async () => (s = await server({ config: GITHUB_LIKE })))

  test('ls-refs, a shallow tip with tree:0, a tree with blob:none, a blob by id', async () => {
    const remote = remoteOf(s)
    const tip = s.git(s.work, 'rev-parse', 'main')
    expect((await remote.lsRefs(['refs/heads/'])).get('refs/heads/main')).toBe(tip)
    const one = await remote.fetch([tip], { filter: 'tree:0', deepen: 1 })
    expect([...one.objects.keys()]).toEqual([tip])
    expect(one.shallow).toEqual([tip])
    const root = s.git(s.work, 'rev-parse', 'main^{tree}')
    const trees = await remote.fetch([root], { filter: 'blob:none' })
    expect([...trees.objects.values()].every((o) => o.type === 'tree')).toBe(true)
    expect(trees.objects.size).toBe(3) // root, apps, apps/dev
    const blob = s.git(s.work, 'rev-parse', 'main:apps/dev/values.yaml')
    const b = await remote.fetch([blob], {})
    expect(b.objects.get(blob)!.data.toString()).toBe('image: app:1\n')
    // Every request was v2, with the authorization.
    expect(s.seen.every((q) => q.protocol === 'version=2' && q.authorization === AUTH)).toBe(true)
  })

  test('a filter GitHub does not serve (tree:1): CapabilityMissingError naming it', async () => {
    const root = s.git(s.work, 'rev-parse', 'main^{tree}')
    const error = await remoteOf(s)
      .fetch([root], { filter: 'tree:1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CapabilityMissingError)
    expect(error).toMatchObject({ capability: 'filter tree:1' })
  })

  test('a push lands, and git fsck of the server accepts it', async () => {
    const { commit } = await release(s, ['apps', 'dev', 'values.yaml'], 'image: app:2\n')
    expect(s.git(s.bare, 'rev-parse', 'main')).toBe(commit)
    expect(s.git(s.bare, 'show', 'main:apps/dev/values.yaml')).toBe('image: app:2')
    s.git(s.bare, 'fsck', '--strict', '--no-dangling')
  })

  test('a push on a tip that moved: PushRejectedError, stale (the compare-and-swap)', async () => {
    const tip = s.git(s.bare, 'rev-parse', 'main')
    await release(s, ['a.txt'], 'one\n')
    const error = await release(s, ['b.txt'], 'two\n', tip).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushRejectedError)
    expect(error).toMatchObject({ ref: 'refs/heads/main', isStale: true })
  })

  test('receive.fsckObjects: a tree with a .git entry is refused, nothing lands', async () => {
    const before = s.git(s.bare, 'rev-parse', 'main')
    const error = await release(s, ['.git', 'config'], 'x\n').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushRejectedError)
    expect((error as PushRejectedError).reason).toMatch(/unpack|hasDotgit|fsck/i)
    expect(s.git(s.bare, 'rev-parse', 'main')).toBe(before)
  })
})

describe('filters disabled', () => {
  test('a partial fetch is a CapabilityMissingError naming the filter', async () => {
    const s = await server({ config: { 'uploadpack.allowAnySHA1InWant': 'true' } })
    const remote = remoteOf(s)
    const tip = s.git(s.work, 'rev-parse', 'main')
    expect((await remote.lsRefs(['refs/heads/main'])).get('refs/heads/main')).toBe(tip)
    const error = await remote.fetch([tip], { filter: 'tree:0', deepen: 1 }).catch((e) => e)
    expect(error).toBeInstanceOf(CapabilityMissingError)
    expect(error).toMatchObject({ capability: 'filter' })
    expect((error as Error).message).toContain("'filter tree:0'")
  })
})

// Our choice: a clear error, not a slower v0 path. GitHub, GHES, GitLab, Bitbucket and Gitea
// all speak v2; a v0-only server is an old server or a proxy that drops the Git-Protocol header.
describe('protocol v0 only', () => {
  test('a CapabilityMissingError that says the server does not speak v2', async () => {
    const s = await server({ v2: false })
    const error = await remoteOf(s)
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CapabilityMissingError)
    expect(error).toMatchObject({ capability: 'version 2' })
    expect((error as Error).message).toContain('protocol v2')
  })
})

// Regression (issue 12): a SHA-256 repository was not detected; git answers a SHA-1 request with
// nothing, which read as a cut listing.
describe('a SHA-256 repository', () => {
  test('fails fast: CapabilityMissingError naming object-format=sha256', async () => {
    const s = await server({ objectFormat: 'sha256' })
    const error = await remoteOf(s)
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CapabilityMissingError)
    expect((error as Error).message).toContain('object-format=sha256')
  })
})

// Regression (issue 12): a ruleset refusal (GH013) was not told apart from other refusals.
describe('a pre-receive hook that refuses like a GitHub ruleset', () => {
  test('PushRejectedError with the ref, the reason and the GH013 text', async () => {
    const s = await server({
      config: GITHUB_LIKE,
      hooks: {
        'pre-receive': [
          'echo "error: GH013: Repository rule violations found for refs/heads/main." >&2',
          'echo "- Changes must be made through a pull request." >&2',
          'echo "- Commit 4401ab0 must be signed." >&2',
          'exit 1',
        ].join('\n'),
      },
    })
    const before = s.git(s.bare, 'rev-parse', 'main')
    const error = await release(s, ['a.txt'], 'x\n').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushRejectedError)
    const e = error as PushRejectedError
    expect(e.ref).toBe('refs/heads/main')
    expect(e.reason).toBe('pre-receive hook declined')
    expect(e.isStale).toBe(false)
    expect(e.messages.join('\n')).toContain('GH013: Repository rule violations')
    expect(s.git(s.bare, 'rev-parse', 'main')).toBe(before)
  })
})
