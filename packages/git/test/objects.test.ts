import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  canonicalMode,
  commitParents,
  commitTree,
  objectId,
  parseTree,
  serializeCommit,
  serializeTree,
  type TreeEntry,
} from '../src/objects.js'

// Every expected value below comes from the real git binary, in a repository of our own.
let dir: string
const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: dir,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
  ...extra,
})
const git = (args: string[], input?: string | Buffer, extra?: Record<string, string>) =>
  execFileSync('git', args, { cwd: dir, input, env: env(extra), stdio: 'pipe' })
const gitText = (...a: Parameters<typeof git>) =>
  git(...a)
    .toString('utf8')
    .trim()
const blob = (content: string) => gitText(['hash-object', '-w', '--stdin'], content)

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'git-objects-'))
  git(['init', '-q', '-b', 'main'])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Entries of every mode, named so that git's order differs from a plain sort by name. */
function entries(): TreeEntry[] {
  const sub = gitText(['mktree'], `100644 blob ${blob('inner\n')}\tx\n`)
  const e = (mode: string, type: TreeEntry['type'], sha: string, name: string) => ({
    mode,
    type,
    sha,
    name,
  })
  return [
    e('100644', 'blob', blob('a\n'), 'a.b'),
    e('040000', 'tree', sub, 'a'), // sorts as 'a/': after 'a-b' and 'a.b', before 'a0'
    e('100755', 'blob', blob('#!/bin/sh\n'), 'a-b'),
    e('100644', 'blob', blob('zero\n'), 'a0'),
    e('100644', 'blob', blob('txt\n'), 'a.txt'),
    e('120000', 'blob', blob('a.txt'), 'link'),
    e('160000', 'commit', 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', 'vendor'),
    e('100644', 'blob', blob('Z\n'), 'Z'),
    e('100644', 'blob', blob('e\n'), 'é.yaml'),
    // UTF-16 order would put the emoji (D83D) before U+FF21; git's bytewise UTF-8 order is reverse.
    e('100644', 'blob', blob('fw\n'), '\uFF21'),
    e('100644', 'blob', blob('emoji\n'), '😀'),
  ]
}

const lsTreeLine = (x: TreeEntry) => `${x.mode} ${x.type} ${x.sha}\t${x.name}\0`

describe('trees', () => {
  test('serializeTree gives the id git mktree gives, in git order, and parseTree round-trips', () => {
    const list = entries()
    const expected = gitText(['mktree', '-z', '--missing'], list.map(lsTreeLine).join(''))
    const tree = serializeTree(list)
    expect(objectId('tree', tree)).toBe(expected)
    expect(objectId('tree', serializeTree([...list].reverse()))).toBe(expected)

    const raw = git(['cat-file', 'tree', expected])
    expect(tree.equals(raw)).toBe(true)
    const parsed = parseTree(raw)
    expect(parsed.map((x) => x.name)).toEqual([
      'Z',
      'a-b',
      'a.b',
      'a.txt',
      'a',
      'a0',
      'link',
      'vendor',
      'é.yaml',
      '\uFF21',
      '😀',
    ])
    // The tree's own spelling: '40000', never ls-tree's '040000'.
    const canonical = list.map((x) => ({ ...x, mode: canonicalMode(x.mode) }))
    expect([...parsed].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      canonical.sort((a, b) => a.name.localeCompare(b.name)),
    )
    expect(serializeTree(parsed).equals(raw)).toBe(true)
  })

  test('the empty tree, and the modes', () => {
    expect(objectId('tree', serializeTree([]))).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904')
    expect(parseTree(Buffer.alloc(0))).toEqual([])
    expect(['040000', '40000', '100644', '0100755'].map(canonicalMode)).toEqual([
      '40000',
      '40000',
      '100644',
      '100755',
    ])
  })

  test('a malformed tree throws', () => {
    const raw = git(['cat-file', 'tree', gitText(['mktree'], `100644 blob ${blob('x')}\tf\n`)])
    expect(() => parseTree(raw.subarray(0, raw.length - 1))).toThrow('malformed tree object')
    expect(() => parseTree(Buffer.from('100644 no-nul'))).toThrow('malformed tree object')
  })

  test('duplicate names throw', () => {
    const sha = blob('dup\n')
    const file = { mode: '100644', type: 'blob' as const, sha, name: 'x' }
    expect(() => serializeTree([file, { ...file, mode: '100755' }])).toThrow(
      "duplicate tree entry 'x'",
    )
    expect(() => serializeTree([file, { ...file, mode: '40000', type: 'tree' }])).toThrow(
      "duplicate tree entry 'x'",
    )
  })

  // Regression (git-objects.ts serializeTree): duplicates are only looked for between neighbours in tree
  // order, but a file 'x' and a directory 'x' (sorted as 'x/') are not neighbours when a name
  // such as 'x-y' or 'x.y' falls between them. git fsck rejects such a tree (duplicateEntries).
  test('a file and a directory of the same name throw, whatever sorts between them', () => {
    const sha = blob('dup\n')
    const list: TreeEntry[] = [
      { mode: '100644', type: 'blob', sha, name: 'x' },
      { mode: '100644', type: 'blob', sha, name: 'x-y' },
      { mode: '40000', type: 'tree', sha: objectId('tree', serializeTree([])), name: 'x' },
    ]
    expect(() => serializeTree(list)).toThrow("duplicate tree entry 'x'")
  })
})

describe('commits', () => {
  const author = { name: 'Zoë Release', email: 'zoe@example.com', time: 1_700_000_000 }
  const committer = { name: 'deploy-bot', email: 'bot@example.com', time: 1_700_000_123 }
  const gitCommit = (tree: string, parents: string[], message: string) =>
    gitText(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], message, {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: `${author.time} +0000`,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: `${committer.time} +0000`,
    })
  const ours = (tree: string, parents: string[], message: string) =>
    serializeCommit({ tree, parents, author, committer, message })

  test('serializeCommit gives the id git commit-tree gives, with none, one and two parents', () => {
    const tree = gitText(['mktree', '-z', '--missing'], entries().map(lsTreeLine).join(''))
    const message = 'Release app 1.2.3\n\nimage: ghcr.io/x/app:1.2.3\n'
    const root = gitCommit(tree, [], message)
    expect(objectId('commit', ours(tree, [], message))).toBe(root)
    const one = gitCommit(tree, [root], 'second\n')
    expect(objectId('commit', ours(tree, [root], 'second\n'))).toBe(one)
    const two = gitCommit(tree, [one, root], 'merge\n')
    const data = ours(tree, [one, root], 'merge\n')
    expect(objectId('commit', data)).toBe(two)
    expect(data.equals(git(['cat-file', 'commit', two]))).toBe(true)
    expect(commitTree(git(['cat-file', 'commit', two]))).toBe(tree)
  })

  test('commitParents: none, one, two in order, as git wrote them; a message line is not one', () => {
    const tree = gitText(['mktree', '-z', '--missing'], entries().map(lsTreeLine).join(''))
    const root = gitCommit(tree, [], 'root\n')
    const one = gitCommit(tree, [root], `parent ${root}\n`)
    const two = gitCommit(tree, [one, root], 'merge\n')
    expect(commitParents(git(['cat-file', 'commit', root]))).toEqual([])
    expect(commitParents(git(['cat-file', 'commit', one]))).toEqual([root])
    expect(commitParents(git(['cat-file', 'commit', two]))).toEqual([one, root])
  })

  test('commitTree of something else throws', () => {
    expect(() => commitTree(Buffer.from('parent abc\n'))).toThrow('no tree')
  })
})
