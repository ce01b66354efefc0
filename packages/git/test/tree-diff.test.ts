import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  diffTrees,
  formatPatch,
  ObjectStore,
  replaceAt,
  serializeTree,
  type GitObject,
  type ObjectSource,
  type ObjectType,
} from '../src/index.js'
import { gitEnv } from './git-env.js'

// Expected values come from the real git binary: `git diff` and `git diff-tree` of the same trees.
let dir: string
const git = (args: string[], input?: string | Buffer) =>
  execFileSync('git', args, { cwd: dir, input, env: gitEnv, stdio: 'pipe' })
const text = (args: string[], input?: string | Buffer) => git(args, input).toString('utf8')

/** A store that fetches from the local repository, as a server would send the objects. */
function store(): ObjectStore {
  const source: ObjectSource = {
    async fetch(wants, opts) {
      const objects = new Map<string, GitObject>()
      const add = (oid: string) => {
        const type = text(['cat-file', '-t', oid]).trim() as ObjectType
        objects.set(oid, { type, data: git(['cat-file', type, oid]) })
        if (type === 'tree' && opts.filter === 'blob:none')
          for (const line of text(['ls-tree', oid]).split('\n').filter(Boolean)) {
            const [, t, sha] = line.split(/\s+/)
            if (t === 'tree') add(sha!)
          }
      }
      for (const w of wants) add(w)
      return { objects, shallow: [] }
    },
  }
  return new ObjectStore(source)
}

/** A tree of files (path → content, or [mode, content]) made by git itself. */
function tree(files: Record<string, string | [string, string]>): string {
  git(['read-tree', '--empty'])
  for (const [p, v] of Object.entries(files)) {
    const [mode, content] = typeof v === 'string' ? ['100644', v] : v
    const sha = text(['hash-object', '-w', '--stdin'], content).trim()
    git(['update-index', '--add', '--cacheinfo', `${mode},${sha},${p}`])
  }
  return text(['write-tree']).trim()
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tree-diff-'))
  git(['init', '-q', '-b', 'main'])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('formatPatch of diffTrees prints what git diff prints', async () => {
  const lines = (n: number, tag = '') =>
    Array.from({ length: n }, (_, i) => `line ${i}${i === 7 ? tag : ''}\n`).join('')
  const before = tree({
    'config.yaml': 'app_commit: a\nname: x\n',
    'manifests/a.yaml': lines(20),
    'manifests/gone.yaml': 'kind: Gone\n',
    'manifests/empty.yaml': '',
    'run.sh': '#!/bin/sh\n',
    'no-eol.txt': 'one\ntwo',
    'x-y': 'sorts between x and x/\n',
    x: 'a file, then a directory\n',
    'bin.dat': 'a\0b',
  })
  const after = tree({
    'config.yaml': 'app_commit: b\nname: x\n',
    'manifests/a.yaml': lines(20, ' changed'),
    'manifests/new.yaml': 'kind: New\n',
    'manifests/empty.yaml': 'now\n',
    'run.sh': ['100755', '#!/bin/sh\n'],
    'no-eol.txt': 'one\ntwo\n',
    'x-y': 'sorts between x and x/\n',
    'x/inner': 'a directory now\n',
    'bin.dat': 'a\0c',
  })
  const objects = store()
  await objects.needTrees(before)
  await objects.needTrees(after)
  const changes = await diffTrees(objects, before, after)
  const nameStatus = text(['diff-tree', '-r', '--name-status', before, after])
  expect(changes.map((c) => `${c.status}\t${c.path}`).join('\n')).toBe(nameStatus.trim())
  expect(await formatPatch(objects, changes)).toBe(
    text(['diff', '--no-color', '--no-renames', before, after]),
  )
  // With a prefix, as the step shows the app's directory.
  expect(await formatPatch(objects, changes, 'plat/app/')).toContain('+++ b/plat/app/config.yaml')
})

test('a directory that appears or goes: every file in it', async () => {
  const full = tree({ 'a/b/c.yaml': 'c\n', 'a/d.yaml': 'd\n' })
  const objects = store()
  await objects.needTrees(full)
  const added = await diffTrees(objects, null, full)
  expect(added.map((c) => [c.status, c.path])).toEqual([
    ['A', 'a/b/c.yaml'],
    ['A', 'a/d.yaml'],
  ])
  expect((await diffTrees(objects, full, undefined)).map((c) => c.status)).toEqual(['D', 'D'])
  expect(await diffTrees(objects, full, full)).toEqual([])
  expect(await formatPatch(objects, [])).toBe('')
})

// Regression (tree entry names were decoded as UTF-8 and re-encoded): a sibling whose name is not
// UTF-8 came back as U+FFFD, so rewriting one entry of its tree renamed (damaged) the other.
test('a sibling with a name that is not UTF-8 survives a rewrite byte for byte', async () => {
  const blob = text(['hash-object', '-w', '--stdin'], 'x\n').trim()
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]) // "café" in Latin-1: not UTF-8
  const raw = Buffer.concat([
    Buffer.from('100644 '),
    latin1,
    Buffer.from([0]),
    Buffer.from(blob, 'hex'),
    Buffer.from('100644 ok.yaml\0'),
    Buffer.from(blob, 'hex'),
  ])
  const root = text(['hash-object', '-t', 'tree', '-w', '--stdin', '--literally'], raw).trim()
  const objects = store()
  await objects.needTrees(root)
  const other = text(['hash-object', '-w', '--stdin'], 'y\n').trim()
  const next = (await replaceAt(objects, root, ['ok.yaml'], { blob: other }))!
  const written = objects.get(next)!.data
  expect(written.includes(latin1)).toBe(true)
  // git agrees: the sibling is there under its own bytes, and only ok.yaml changed.
  git(['hash-object', '-t', 'tree', '-w', '--stdin'], written)
  expect(text(['diff-tree', '--name-only', root, next]).trim()).toBe('ok.yaml')
  expect(serializeTree(await objects.list(root)).equals(raw)).toBe(true)
})
