import { schema as published } from '@octokit/graphql-schema'
import {
  buildClientSchema,
  getVariableValues,
  Kind,
  parse,
  validate,
  type OperationDefinitionNode,
} from 'graphql'
import {
  mktree,
  ObjectStore,
  serializeTree,
  treeFromFiles,
  writeBlob,
  type TreeEntry,
} from '@argocd-actions/git'
import {
  commitMutation,
  fileChanges,
  isStaleHead,
  MAX_MUTATION_BYTES,
  readCommitAnswer,
} from '../src/graphql-commit.js'
import { readRelease, ReadMoved, releaseQuery } from '../src/graphql-read.js'
import { graphqlUrl } from '../src/graphql-request.js'
import { DEFAULT_MESSAGE, type SyncInputs } from '../src/inputs.js'
import { parseUpdate } from '../src/update-spec.js'

// The documents the GraphQL transport sends, held to GitHub's published schema (as GitHub
// validates them), and its readers held to what they must refuse.

const schema = buildClientSchema(published.json as Parameters<typeof buildClientSchema>[0])

const base: SyncInputs = {
  token: 'ghp_' + 'a'.repeat(36),
  repository: { owner: 'acme', repo: 'deploy' },
  branch: 'main',
  path: 'plat/use2-dev/apps',
  namespace: 'web',
  application: 'shop',
  operation: 'deploy',
  manifests: 'rendered',
  maxManifestBytes: 10 * 1024 * 1024,
  appRepository: 'acme/shop',
  appCommit: 'c0ffee'.padEnd(40, '0'),
  apiUrl: 'https://api.github.com',
  serverUrl: 'https://github.com',
  authorName: 'bot',
  authorEmail: 'bot@example.com',
  commitMessage: DEFAULT_MESSAGE,
  mode: 'push',
  transport: 'graphql',
  autoMerge: false,
  maxAttempts: 5,
  timeoutSeconds: 60,
  dryRun: false,
  runUrl: '',
}

function expectValid(op: { query: string; variables: Record<string, unknown> }) {
  const doc = parse(op.query)
  expect(validate(schema, doc).map((e) => e.message)).toEqual([])
  const definition = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!
  const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], op.variables)
  expect(coerced.errors?.map((e) => e.message)).toBeUndefined()
}

describe('the documents are valid against GitHub’s schema', () => {
  test('the read, in push and pull-request mode, with and without an image bump', () => {
    expectValid(releaseQuery(base))
    expectValid(releaseQuery({ ...base, mode: 'pull-request' }))
    expectValid(
      releaseQuery({
        ...base,
        manifests: undefined,
        bump: {
          image: 'ghcr.io/acme/shop',
          tag: 'v2',
          update: parseUpdate('argocd-source', 'shop'),
        },
      }),
    )
    const q = releaseQuery(base)
    // One level of the path per field, the app directory last, its files by expression.
    expect(q.variables).toMatchObject({
      branch: 'refs/heads/main',
      p1: 'refs/heads/main:plat',
      p5: 'refs/heads/main:plat/use2-dev/apps/web/shop',
      f0: 'refs/heads/main:plat/use2-dev/apps/web/shop/config.yaml',
    })
  })

  test('the mutation, and its message as GitHub takes it (headline, body)', () => {
    const op = commitMutation(base, 'main', 'a'.repeat(40), 'Subject\n\nTrailer: x\n', {
      additions: [{ path: 'a/b.yaml', contents: Buffer.from('x: 1\n').toString('base64') }],
      deletions: [{ path: 'a/c.yaml' }],
    })
    expectValid(op)
    expect(op.variables.input).toMatchObject({
      branch: { repositoryNameWithOwner: 'acme/deploy', branchName: 'main' },
      message: { headline: 'Subject', body: 'Trailer: x' },
      expectedHeadOid: 'a'.repeat(40),
    })
  })

  test('a field the schema does not have is caught by this check', () => {
    const op = releaseQuery(base)
    expect(
      validate(schema, parse(op.query.replace('isBinary', 'isBinaryFile'))).length,
    ).toBeGreaterThan(0)
  })
})

test('the endpoint: GitHub.com and GHES', () => {
  expect(graphqlUrl('https://api.github.com')).toBe('https://api.github.com/graphql')
  expect(graphqlUrl('https://ghe.acme.test/api/v3/')).toBe('https://ghe.acme.test/api/graphql')
})

test("GitHub's stale expectedHeadOid answer, and nothing else, is a lost race", () => {
  expect(
    isStaleHead([
      {
        type: 'STALE_DATA',
        message: `Expected branch to point to "${'a'.repeat(40)}" but it did not.  Pull and try again.`,
      },
    ]),
  ).toBe(true)
  expect(
    isStaleHead([{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }]),
  ).toBe(false)
})

test('an oversize release names its size and the limit, and says to use git', () => {
  const big = 'x'.repeat(MAX_MUTATION_BYTES)
  expect(() =>
    commitMutation(base, 'main', 'a'.repeat(40), 'S\n', {
      additions: [{ path: 'big', contents: big }],
      deletions: [],
    }),
  ).toThrow(
    /is 32(\.\d)? MiB as a createCommitOnBranch request .* over the 32 MiB .*transport: git/,
  )
})

const noFetch = { fetch: () => Promise.reject(new Error('no request in this test')) }
/** git's empty tree. */
const EMPTY = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

describe('changes a mutation cannot express are refused', () => {
  for (const [mode, words] of [
    ['100755', 'an executable file'],
    ['120000', 'a symbolic link'],
    ['160000', 'a submodule'],
  ] as const) {
    test(words, async () => {
      const objects = new ObjectStore(noFetch)
      const odd: TreeEntry = {
        mode,
        type: mode === '160000' ? 'commit' : 'blob',
        sha: await writeBlob(objects, 'x'),
        name: 'odd',
      }
      const existing = await mktree(objects, [odd])
      const next = await treeFromFiles(objects, { 'config.yaml': 'a: 1\n' })
      await expect(fileChanges(objects, base, existing, next)).rejects.toThrow(
        `plat/use2-dev/apps/web/shop/odd is ${words}`,
      )
    })
  }

  test('plain files: whole-file additions and deletions under the app directory', async () => {
    const objects = new ObjectStore(noFetch)
    const existing = await treeFromFiles(objects, { 'config.yaml': 'a: 1\n', 'old.yaml': 'b\n' })
    const next = await treeFromFiles(objects, { 'config.yaml': 'a: 2\n' })
    expect(await fileChanges(objects, base, existing, next)).toEqual({
      additions: [
        {
          path: 'plat/use2-dev/apps/web/shop/config.yaml',
          contents: Buffer.from('a: 2\n').toString('base64'),
        },
      ],
      deletions: [{ path: 'plat/use2-dev/apps/web/shop/old.yaml' }],
    })
  })
})

describe('the read: what it believes', () => {
  // A repository with one file at the root and the app's path empty.
  async function answer(objects: ObjectStore, tamper?: (entries: unknown[]) => void) {
    const scratch = new ObjectStore(noFetch)
    const blob = await writeBlob(scratch, 'readme\n')
    const entries = [{ name: 'README.md', type: 'blob', mode: 0o100644, oid: blob }]
    const oid = await mktree(scratch, [
      { name: 'README.md', type: 'blob', mode: '100644', sha: blob },
    ])
    tamper?.(entries)
    return readRelease(
      async () => ({
        repository: {
          ref: {
            target: {
              oid: 'b'.repeat(40),
              message: 'm',
              signature: null,
              tree: { oid, entries },
            },
          },
          p1: null,
        },
      }),
      objects,
      base,
    )
  }

  test('a tree whose entries are the tree GitHub named: loaded', async () => {
    const objects = new ObjectStore(noFetch)
    const read = await answer(objects)
    expect(read).toMatchObject({ tip: 'b'.repeat(40), tipVerified: false })
    expect(objects.get(read.rootTree)?.type).toBe('tree')
  })

  test('entries that do not make the tree named: refused, not believed', async () => {
    await expect(
      answer(new ObjectStore(noFetch), (e) => ((e[0] as { name: string }).name = 'OTHER.md')),
    ).rejects.toThrow(/unexpected answer \(the entries of the root do not make the tree/)
  })

  test('a level that is not the one its parent lists: the branch moved, read again', async () => {
    const scratch = new ObjectStore(noFetch)
    const inner = await mktree(scratch, [
      { name: 'x', type: 'blob', mode: '100644', sha: await writeBlob(scratch, 'x') },
    ])
    const root = serializeTree([{ name: 'plat', type: 'tree', mode: '40000', sha: inner }])
    const rootOid = scratch.add('tree', root)
    const read = readRelease(
      async () => ({
        repository: {
          ref: {
            target: {
              oid: 'b'.repeat(40),
              message: 'm',
              tree: {
                oid: rootOid,
                entries: [{ name: 'plat', type: 'tree', mode: 0o40000, oid: inner }],
              },
            },
          },
          // Another tip's tree at plat/.
          p1: { oid: 'c'.repeat(40), entries: [] },
        },
      }),
      new ObjectStore(noFetch),
      base,
    )
    await expect(read).rejects.toBeInstanceOf(ReadMoved)
  })

  test('pull-request mode: the release tip read whole; without its message, unexpected', async () => {
    const pr = { ...base, mode: 'pull-request' as const }
    const readWith = (target: unknown) =>
      readRelease(
        async () => ({
          repository: {
            ref: {
              target: { oid: 'b'.repeat(40), message: 'm', tree: { oid: EMPTY, entries: [] } },
            },
            p1: null,
            release: { target },
          },
        }),
        new ObjectStore(noFetch),
        pr,
      )
    const read = await readWith({
      oid: 'c'.repeat(40),
      message: 'release',
      signature: { isValid: true },
      parents: { nodes: [{ oid: 'b'.repeat(40) }] },
    })
    expect(read).toMatchObject({
      releaseTip: 'c'.repeat(40),
      releaseCommit: { message: 'release', parent: 'b'.repeat(40), verified: true },
    })
    // No parents or signature: no parent to match, not verified (a lost answer is then not
    // taken as landed, and the release is committed again).
    expect((await readWith({ oid: 'c'.repeat(40), message: 'release' })).releaseCommit).toEqual({
      message: 'release',
      verified: false,
    })
    for (const target of [null, { oid: 'c'.repeat(40) }, { oid: 'nope', message: 'release' }])
      await expect(readWith(target)).rejects.toThrow(
        /unexpected answer \(the release branch came without its tip\)/,
      )
  })

  test('no branch: said so; no repository in the answer: unexpected, not "no branch"', async () => {
    await expect(
      readRelease(async () => ({ repository: { ref: null } }), new ObjectStore(noFetch), base),
    ).rejects.toThrow("has no branch 'main'")
    await expect(
      readRelease(async () => ({ repository: null }), new ObjectStore(noFetch), base),
    ).rejects.toThrow(/unexpected answer \(the answer has no repository\)/)
  })
})

test("the mutation's answer without a commit is an unexpected answer, not a success", () => {
  const op = commitMutation(base, 'main', 'a'.repeat(40), 'S\n', { additions: [], deletions: [] })
  expect(() => readCommitAnswer({ createCommitOnBranch: null }, op)).toThrow(
    /answered with a JSON object of another shape/,
  )
  expect(
    readCommitAnswer(
      {
        createCommitOnBranch: {
          commit: { oid: 'd'.repeat(40), url: 'u', signature: { isValid: true } },
        },
      },
      op,
    ),
  ).toEqual({ oid: 'd'.repeat(40), url: 'u', verified: true })
})
