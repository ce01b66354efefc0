import path from 'node:path'
import { UserError, withRetry } from '@argocd-actions/core'
import { checkAppDirectory } from './app-directory.js'
import { createGitRunner, GitError } from './git.js'
import { bumpImage } from './image-bump.js'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'
import { renderConfig, type Manifests } from './release-files.js'
import { serializeCommit } from './git-objects.js'
import { RemoteObjects } from './remote-objects.js'
import {
  entryAt,
  filesBelow,
  mktree,
  readBlob,
  replaceAt,
  rootTreeOf,
  treeFromFiles,
  writeBlob,
} from './tree-edit.js'
import { receivePack } from './receive-pack.js'
import { createHttpClient, GitHttpError, type SmartHttpOptions } from './smart-http.js'
import { UploadPack } from './upload-pack.js'

export interface SyncResult {
  changed: boolean
  sha: string
  files: Array<{ status: string; path: string }>
  attempts: number
  pushedAt?: string
  diff?: string
}

export interface SyncDeps {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  log?: (m: string) => void
}

class PushRejected extends Error {}

const appDir = (i: SyncInputs) => `${i.path}/${i.namespace}/${i.application}`

export function commitMessage(i: SyncInputs): string {
  const subject = i.commitMessage
    .replaceAll('{app}', i.application)
    .replaceAll('{namespace}', i.namespace)
    .replaceAll('{sha}', i.appCommit)
    .replaceAll('{repository}', i.appRepository)
    .replaceAll('{run_url}', i.runUrl)
  const trailers = [
    `Argocd-App: ${i.namespace}.${i.application}`,
    `Argocd-Operation: ${i.operation}`,
    `App-Repository: ${i.appRepository}`,
    `App-Commit: ${i.appCommit}`,
    ...(i.runUrl ? [`Run-Url: ${i.runUrl}`] : []),
  ]
  return `${subject}\n\n${trailers.join('\n')}\n`
}

/** The app directory's new tree, given its current one (null: the directory goes away). */
async function buildAppTree(
  objects: RemoteObjects,
  existing: string | undefined,
  i: SyncInputs,
  manifests: Manifests | undefined,
): Promise<string | null> {
  if (i.operation === 'destroy') return null
  const dir = appDir(i)
  // The old config.yaml is read only when the hostname has no other source.
  const oldHostname = async () => (existing ? readConfigHostname(objects, existing) : undefined)
  const config = (hostname: string) =>
    renderConfig({
      app_repository: i.appRepository,
      app_commit: i.appCommit,
      app_hostname: hostname,
      name: `${i.namespace}.${i.application}`,
      namespace: i.namespace,
      manifests: `${dir}/manifests`,
    })
  if (manifests) {
    const hostname = i.appHostname ?? manifests.hostname ?? (await oldHostname()) ?? ''
    const files: Record<string, string> = { 'config.yaml': config(hostname) }
    for (const [name, content] of Object.entries(manifests.files))
      files[`manifests/${name}`] = content
    // The whole directory is replaced: a release never mixes files of two releases.
    return treeFromFiles(objects, files)
  }
  const bump = i.bump!
  const segments = bump.update.file.split('/')
  const current = existing ? await fileIn(objects, existing, segments) : undefined
  const edited = bumpImage(bump.update, current, bump.image, bump.tag)
  const withFile = await replaceAt(objects, existing ?? '', segments, {
    blob: await writeBlob(objects, edited),
  })
  return replaceAt(objects, withFile ?? '', ['config.yaml'], {
    blob: await writeBlob(objects, config(i.appHostname ?? (await oldHostname()) ?? '')),
  })
}

async function fileIn(
  objects: RemoteObjects,
  tree: string,
  segments: string[],
): Promise<string | undefined> {
  const entry = await entryAt(objects, tree, segments)
  return entry?.type === 'blob' ? readBlob(objects, entry.sha) : undefined
}

async function readConfigHostname(
  objects: RemoteObjects,
  appTree: string,
): Promise<string | undefined> {
  const text = await fileIn(objects, appTree, ['config.yaml'])
  return text
    ? /^app_hostname:\s*(.*)$/m
        .exec(text)?.[1]
        ?.trim()
        .replace(/^['"]|['"]$/g, '') || undefined
    : undefined
}

/**
 * The longest wait between two pushes. Full jitter waits half the ceiling on average, so with this
 * ceiling `max-attempts` lost races take about `timeout-seconds`: many writers spread their
 * attempts over the time they have, instead of spending them all in the first minute and giving
 * up while the deadline is far. The first retries stay quick (0.2 s, 0.4 s, ...).
 */
export const pushBackoffCeilingMs = (i: Pick<SyncInputs, 'maxAttempts' | 'timeoutSeconds'>) =>
  Math.max(5000, Math.round((2 * i.timeoutSeconds * 1000) / i.maxAttempts))

/** The deploy repository's clone URL. */
export const deployRemote = (i: SyncInputs) =>
  `${i.serverUrl.replace(/\/+$/, '')}/${i.repository.owner}/${i.repository.repo}.git`

/** A release read and pushed over smart HTTP; a dry run's diff is made by git in a throwaway repository. */
export async function syncToDeployRepo(
  i: SyncInputs,
  manifests: Manifests | undefined,
  deps: SyncDeps & { tempDir: string; debug?: (m: string) => void },
): Promise<SyncResult> {
  const http: SmartHttpOptions = {
    url: deployRemote(i),
    authorization: `basic ${Buffer.from(`x-access-token:${i.token}`, 'utf8').toString('base64')}`,
    deadline: (deps.now ?? Date.now)() + i.timeoutSeconds * 1000,
    debug: deps.debug,
    client: createHttpClient(),
  }
  try {
    return await syncRelease(http, i, manifests, deps)
  } finally {
    http.client!.dispose()
  }
}

/** The dry run's diff of the app directory: git reads the old blobs it shows in one batch. */
async function dryRunDiff(
  objects: RemoteObjects,
  i: SyncInputs,
  tip: string,
  commit: string,
  deps: { tempDir: string; debug?: (m: string) => void },
): Promise<string> {
  const git = await createGitRunner({
    tempDir: deps.tempDir,
    remoteUrl: deployRemote(i),
    token: i.token,
    authorName: i.authorName,
    authorEmail: i.authorEmail,
    debug: deps.debug,
  })
  try {
    await objects.writeTo(path.join(git.dir, '.git'))
    return (await git.run(['diff', '--no-color', tip, commit, '--', appDir(i)])).stdout
  } finally {
    await git.dispose()
  }
}

/**
 * Read the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push
 * with the tip as the ref's expected value. A rejected push starts over from the new tip: the
 * change is re-applied, never rebased stale.
 */
async function syncRelease(
  http: SmartHttpOptions,
  i: SyncInputs,
  manifests: Manifests | undefined,
  deps: SyncDeps & { tempDir: string; debug?: (m: string) => void },
): Promise<SyncResult> {
  const now = deps.now ?? Date.now
  const log = deps.log ?? (() => {})
  const remote = new UploadPack(http)
  const objects = new RemoteObjects(remote)
  // A server's refusal of a read, explained (401, 404, a redirect, ...).
  const read = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step()
    } catch (e) {
      throw e instanceof GitHttpError ? explainGit('fetch', e.message, i) : e
    }
  }
  // The app directory's new tree for each of its current ones: a retry on a tip where the app
  // did not change (another app's release won the race) reuses it.
  const appTrees = new Map<string, string | null>()
  const deadline = now() + i.timeoutSeconds * 1000
  const segments = appDir(i).split('/')
  let attempts = 0

  return withRetry(
    async () => {
      attempts++
      const heads = await read(() =>
        remote.lsRefs([
          `refs/heads/${i.branch}`,
          ...(i.mode === 'pull-request' ? [`refs/heads/${releaseBranch(i)}`] : []),
        ]),
      )
      const tip = heads.get(`refs/heads/${i.branch}`)
      if (!tip)
        throw new UserError(
          `${i.repository.owner}/${i.repository.repo} has no branch '${i.branch}': check 'branch' (e.g. main).`,
        )
      await read(() => objects.fetchTip(tip))
      const rootTree = rootTreeOf(objects, tip)
      const current = await read(() => entryAt(objects, rootTree, segments))
      // A release replaces a directory, never a file someone put at its path.
      if (current && current.type !== 'tree')
        throw new UserError(
          `${appDir(i)} is a file in ${i.repository.owner}/${i.repository.repo}@${i.branch}, not an app directory: nothing was pushed.`,
        )
      const existing = current?.sha
      // The app's own directory comes whole (its trees, not its blobs): it is small, and the
      // list of changed files reads all of it.
      if (existing) await read(() => objects.needTrees(existing))
      // Only an app directory is replaced or removed, and never one inside another app.
      await read(() =>
        checkAppDirectory(
          (t) => objects.list(t),
          (b) => readBlob(objects, b),
          rootTree,
          segments,
          {
            repo: `${i.repository.owner}/${i.repository.repo}`,
            branch: i.branch,
            operation: i.operation,
          },
        ),
      )
      let appTree = appTrees.get(existing ?? '')
      if (appTree === undefined) {
        appTree = await read(() => buildAppTree(objects, existing, i, manifests))
        appTrees.set(existing ?? '', appTree)
      }
      const newRoot =
        (await read(() => replaceAt(objects, rootTree, segments, appTree))) ??
        (await mktree(objects, []))
      if (newRoot === rootTree) {
        log(`${appDir(i)} is already up to date at ${tip}: nothing to commit.`)
        return { changed: false, sha: tip, files: [], attempts }
      }
      // As git does with user.name and user.email: nothing that could end the header line.
      const clean = (s: string) => s.replace(/[\r\n<>]/g, '').trim()
      const signature = {
        name: clean(i.authorName),
        email: clean(i.authorEmail),
        time: Math.floor(now() / 1000),
      }
      const commit = objects.add(
        'commit',
        serializeCommit({
          tree: newRoot,
          parents: [tip],
          author: signature,
          committer: signature,
          message: commitMessage(i),
        }),
      )
      const files = changedFiles(
        appDir(i),
        existing ? await filesBelow(objects, existing) : new Map(),
        appTree ? await filesBelow(objects, appTree) : new Map(),
      )
      if (i.dryRun) {
        const diff = await dryRunDiff(objects, i, tip, commit, deps)
        return { changed: true, sha: tip, files, attempts, diff }
      }
      // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
      const [ref, expected] =
        i.mode === 'pull-request'
          ? [`refs/heads/${releaseBranch(i)}`, heads.get(`refs/heads/${releaseBranch(i)}`) ?? '']
          : [`refs/heads/${i.branch}`, tip]
      // The value we built on is the one the ref must still have: a lost race is refused at once.
      const push = await receivePack(
        http,
        { ref, old: expected, new: commit },
        objects.toPush(commit),
      ).catch((e: unknown) => {
        throw e instanceof GitHttpError ? explainGit('push', e.message, i) : e
      })
      if (!push.ok) {
        const text = push.text
        if (
          /\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|failed to update ref/i.test(
            text,
          ) &&
          !/GH006|protected branch/i.test(text)
        ) {
          log(
            `push ${attempts} lost a race with another writer: fetching the new tip and applying the release again`,
          )
          throw new PushRejected(text)
        }
        throw explainGit('push', text, i)
      }
      return {
        changed: true,
        sha: commit,
        files,
        attempts,
        pushedAt: new Date(now()).toISOString(),
      }
    },
    {
      attempts: i.maxAttempts,
      baseMs: 200,
      maxDelayMs: pushBackoffCeilingMs(i),
      deadline,
      retryable: (e) => e instanceof PushRejected,
      sleep: deps.sleep,
      now,
    },
  ).catch((error: unknown) => {
    if (error instanceof PushRejected) {
      throw new UserError(
        `the push was rejected ${attempts} times by concurrent writers (max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}): raise them, or serialise the jobs.`,
      )
    }
    throw error
  })
}

/** What `git diff-tree -r --name-status` says of the app directory, from the two listings. */
export function changedFiles(
  dir: string,
  before: Map<string, string>,
  after: Map<string, string>,
): SyncResult['files'] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  )
  return paths.flatMap((p) => {
    const was = before.get(p)
    const now = after.get(p)
    if (was === now) return []
    return [
      { status: was === undefined ? 'A' : now === undefined ? 'D' : 'M', path: `${dir}/${p}` },
    ]
  })
}

function explainGit(step: string, stderr: string, i: SyncInputs): Error {
  const repo = `${i.repository.owner}/${i.repository.repo}`
  const text = stderr.replace(/AUTHORIZATION: basic \S+/gi, 'AUTHORIZATION: basic ***')
  if (/GH006|protected branch/i.test(text)) {
    return new UserError(
      `${repo}@${i.branch} is a protected branch: direct pushes are refused. Use mode: pull-request.`,
    )
  }
  if (
    /Write access to repository not granted|403|permission to .* denied/i.test(text) &&
    step === 'push'
  ) {
    return new UserError(
      `the token may read ${repo} but not write to it: give it Contents: Read and write (classic: repo; app: contents: write).`,
    )
  }
  if (/Authentication failed|401|could not read Username|invalid credentials/i.test(text)) {
    return new UserError(`${step} of ${repo}: the token was refused (wrong, revoked or expired).`)
  }
  if (/Repository not found|not found|404/i.test(text)) {
    return new UserError(
      `${step} of ${repo}: repository not found, or the token cannot see it (a fine-grained token must select it; an app must be installed on it).`,
    )
  }
  if (/the repository moved \(redirected to ([^)]*)\)/.test(text)) {
    const to = /redirected to ([^)]*)\)/.exec(text)![1]
    return new UserError(
      `${step} of ${repo}: the server redirects to ${to}: the repository was renamed or moved; set 'repository' (or 'git-url') to its new name.`,
    )
  }
  if (/couldn't find remote ref|Remote branch .* not found/i.test(text)) {
    return new UserError(`${repo} has no branch '${i.branch}'.`)
  }
  return new GitError([step], { code: 1, stdout: '', stderr: text })
}
