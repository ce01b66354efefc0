// "Require signed commits" (branch protection and ruleset): a real git push of unsigned commits
// is refused with GitHub's messages and lands nothing; createCommitOnBranch to the same branch
// is accepted, and its verified commits may then be pushed to the branch by git.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'
import { call } from './helpers/http.js'

let sb: GitHubSandbox
let client: GitClient
let writer: string
let clones = 0
let repos = 0

const WRITE = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`

/** A fresh git-backed repository the writer token may push to. */
function newRepo(): string {
  const name = `acme/deploy${++repos}`
  sb.addRepo(name, { git: true, files: { 'README.md': '# deploy\n' } })
  return name
}

async function cloneAndCommit(repo: string, file: string): Promise<string> {
  const dir = path.join(client.home, `c${++clones}`)
  await client.ok(
    client.home,
    ...authArgs(writer),
    'clone',
    '--quiet',
    `${sb.url}/${repo}.git`,
    dir,
  )
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
  await writeFile(path.join(dir, file), `${file}\n`)
  await client.ok(dir, 'add', '-A')
  await client.ok(dir, 'commit', '--quiet', '-m', `add ${file}`)
  return dir
}

async function mutate(repo: string, branch: string, file: string) {
  const r = await call(sb.url, 'POST', '/graphql', {
    token: writer,
    body: {
      query: WRITE,
      variables: {
        input: {
          branch: { repositoryNameWithOwner: repo, branchName: branch },
          expectedHeadOid: sb.refs(repo)[`refs/heads/${branch}`],
          message: { headline: `add ${file}` },
          fileChanges: {
            additions: [{ path: file, contents: Buffer.from('x\n').toString('base64') }],
          },
        },
      },
    },
  })
  return r.json
}

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  writer = sb.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: 'all',
    permissions: { contents: 'write' },
  })
  client = await gitClient()
})

afterAll(async () => {
  await sb.stop()
  await client.cleanup()
})

describe('require signed commits', () => {
  it('branch protection: an unsigned push is refused with GH006; the mutation is accepted', async () => {
    const repo = newRepo()
    sb.requireSignedCommits(repo, 'main')
    const tip = sb.refs(repo)['refs/heads/main']
    const dir = await cloneAndCommit(repo, 'app/config.yaml')
    const push = await client.git(dir, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(push.code).not.toBe(0)
    // git pads the remote's lines with spaces (to overwrite progress output).
    expect(push.stderr.replace(/ +$/gm, '')).toContain(
      'remote: error: GH006: Protected branch update failed for refs/heads/main.\nremote:\nremote: - Commits must have verified signatures.',
    )
    expect(push.stderr).toContain(
      '! [remote rejected] HEAD -> main (protected branch hook declined)',
    )
    expect(sb.refs(repo)['refs/heads/main']).toBe(tip)
    expect(sb.tree(repo)['app/config.yaml']).toBeUndefined()

    // Other branches are not under the rule.
    await client.ok(dir, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:feature')

    const json = await mutate(repo, 'main', 'app/config.yaml')
    expect(json.errors).toBeUndefined()
    expect(sb.refs(repo)['refs/heads/main']).toBe(json.data.createCommitOnBranch.commit.oid)
    expect(sb.tree(repo)['app/config.yaml']).toBe('x\n')

    // An unsigned commit on top of a verified one is still refused.
    const dir2 = await cloneAndCommit(repo, 'app/other.yaml')
    const again = await client.git(dir2, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain('- Commits must have verified signatures.')
  })

  it('ruleset: GH013 names the unverified commits', async () => {
    const repo = newRepo()
    sb.requireSignedCommits(repo, 'main', { via: 'ruleset' })
    const dir = await cloneAndCommit(repo, 'a.txt')
    const sha = (await client.ok(dir, 'rev-parse', 'HEAD')).trim()
    const push = await client.git(dir, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(push.code).not.toBe(0)
    expect(push.stderr).toContain(
      'remote: error: GH013: Repository rule violations found for refs/heads/main.',
    )
    expect(push.stderr).toContain('remote: - Commits must have verified signatures.')
    expect(push.stderr).toContain(`remote:   ${sha}`)
    expect(push.stderr).toContain(
      '! [remote rejected] HEAD -> main (push declined due to repository rule violations)',
    )
    expect(sb.refs(repo)['refs/heads/main']).not.toBe(sha)
  })

  it('lets git bring commits GitHub verified (created by the mutation on another branch)', async () => {
    const repo = newRepo()
    const dir = await cloneAndCommit(repo, 'unused.txt')
    await client.ok(
      dir,
      ...authArgs(writer),
      'push',
      '--quiet',
      'origin',
      'origin/main:refs/heads/staging',
    )
    const json = await mutate(repo, 'staging', 'b.txt')
    const verified = json.data.createCommitOnBranch.commit.oid as string
    sb.requireSignedCommits(repo, 'main')
    await client.ok(dir, ...authArgs(writer), 'fetch', '--quiet', 'origin')
    await client.ok(
      dir,
      ...authArgs(writer),
      'push',
      '--quiet',
      'origin',
      `${verified}:refs/heads/main`,
    )
    expect(sb.refs(repo)['refs/heads/main']).toBe(verified)
    expect(sb.commitVerification(repo, verified)).toEqual({ verified: true, reason: 'valid' })
  })
})
