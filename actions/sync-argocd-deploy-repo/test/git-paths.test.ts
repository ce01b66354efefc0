import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkGitPath, gitNameProblem, gitPathProblem } from '../src/git-paths.js'
import { gitEnv } from '../../../packages/git/test/git-env.js'

// git itself is the oracle: `update-index --add --cacheinfo` runs verify_path (with HFS and NTFS
// protection on, as on macOS and Windows), and `fsck --strict` judges the tree `mktree` writes.
let repo: string
const git = (args: string[], input?: string) =>
  spawnSync('git', ['-C', repo, ...args], { env: gitEnv, input, encoding: 'utf8' })
let blob: string
beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'git-paths-'))
  git(['init', '--quiet'])
  blob = git(['hash-object', '-w', '--stdin'], 'x\n').stdout.trim()
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

const gitAcceptsPath = (p: string) =>
  git([
    '-c',
    'core.protectHFS=true',
    '-c',
    'core.protectNTFS=true',
    'update-index',
    '--add',
    '--cacheinfo',
    `100644,${blob},${p}`,
  ]).status === 0
const fsckAcceptsName = (name: string) => {
  const tree = git(['mktree'], `100644 blob ${blob}\t${name}\n`).stdout.trim()
  const commit = git(['commit-tree', tree, '-m', 'x']).stdout.trim()
  git(['update-ref', 'refs/heads/probe', commit])
  return git(['fsck', '--strict', '--no-dangling']).status === 0
}

const GIT_REFUSES = [
  '.git',
  '.GIT',
  '.Git',
  '.git.',
  '.git ',
  '.git. . ',
  '.git::$INDEX_ALLOCATION',
  'git~1',
  'GIT~1',
  'git~1.',
  '.g\u200cit',
  '\u200e.git',
  '.git\ufeff',
]
const GIT_ACCEPTS_WE_REFUSE = [
  '.gitmodules',
  '.GITMODULES',
  'gitmod~1',
  'GI7EBA~1',
  '.gitattributes',
  'gitatt~2',
  'gi7d29~1',
  '.gitignore',
  '.mailmap',
  '.gitmodules .',
  'a\u0001b',
  'tab\there',
  'x'.repeat(256),
]
const FINE = [
  'a',
  '.github',
  '.gitkeep',
  '.git-credentials.yaml',
  'git~0',
  'git~5',
  'git',
  'gitmod~5',
  '.argocd-source-web.yaml',
  'kustomization.yaml',
  'naïve.yaml',
  '.git~1',
  'x'.repeat(255),
]

describe('names git refuses are refused', () => {
  test.each(GIT_REFUSES)('%j: git refuses it, and so do we', (name) => {
    expect(gitAcceptsPath(`a/${name}/b.yaml`)).toBe(false)
    expect(fsckAcceptsName(name)).toBe(false)
    expect(gitNameProblem(name)).toContain('which git reads as .git')
  })
  test.each(GIT_ACCEPTS_WE_REFUSE)('%j: refused (changes how git treats the repo)', (name) => {
    expect(gitNameProblem(name)).toBeDefined()
  })
  test.each(FINE)('%j: git and we accept it', (name) => {
    expect(gitAcceptsPath(`a/${name}/b.yaml`)).toBe(true)
    expect(gitNameProblem(name)).toBeUndefined()
  })
})

describe('paths', () => {
  test.each(['', 'a//b', '/a', 'a/', 'a/./b', 'a/../b', 'a\\b', 'a/b\u0000c', 'a/.GIT/b'])(
    '%j is refused',
    (p) => {
      expect(gitPathProblem(p)).toBeDefined()
    },
  )
  test('a long path', () => {
    expect(gitPathProblem(Array(20).fill('y'.repeat(250)).join('/'))).toContain('longer than')
  })
  test('the error names the input, the problem and shows invisible characters', () => {
    expect(() => checkGitPath('path', 'plat/.g\u200cit/apps', 'plat/use2-dev/apps')).toThrow(
      "Input 'path' 'plat/.g\\u200cit/apps' is not a path git accepts: it has '.g\\u200cit', which git reads as .git. Example: path: plat/use2-dev/apps",
    )
  })
})
