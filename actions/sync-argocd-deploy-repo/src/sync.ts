import { isTransientStatus, UserError, withRetry } from '@argocd-actions/core'
import {
  CapabilityMissingError,
  createHttpClient,
  diffTrees,
  entryAt,
  filesBelow,
  formatPatch,
  GitError,
  GitHttpError,
  GitNetworkError,
  GitRemoteError,
  mktree,
  NotATreeError,
  ObjectStore,
  PushOutcomeUnknownError,
  PushRejectedError,
  readBlob,
  replaceAt,
  rootTreeOf,
  serializeCommit,
  SmartHttpRemote,
  treeFromFiles,
  writeBlob,
  type RemoteOptions,
} from '@argocd-actions/git'
import { checkAppDirectory } from './app-directory.js'
import { bumpImage } from './image-bump.js'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'
import { renderConfig, type Manifests } from './release-files.js'

export interface SyncResult {
  changed: boolean
  sha: string
  files: Array<{ status: string; path: string }>
  attempts: number
  pushedAt?: string
  diff?: string
  /** GitHub signed the release commit (transport graphql); false when this run made none. */
  verified?: boolean
}

export interface SyncDeps {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  log?: (m: string) => void
}

/** A push that lost the race for the ref (or whose outcome was lost and it did not land): go again. */
class PushRejected extends Error {}

/** A push the server failed (a 5xx, a reset, an unreadable answer) and that did not land. */
class PushLost extends PushRejected {
  constructor(readonly fault: PushOutcomeUnknownError) {
    super(fault.message)
  }
}

/**
 * Pushes the server may fail before the step gives up: its faults have their own small budget
 * (as reads have 4 attempts), so a failing server is not taken for `max-attempts` lost races.
 */
export const SERVER_FAULT_PUSHES = 4

export const appDir = (i: SyncInputs) => `${i.path}/${i.namespace}/${i.application}`

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
  objects: ObjectStore,
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
  objects: ObjectStore,
  tree: string,
  segments: string[],
): Promise<string | undefined> {
  const entry = await entryAt(objects, tree, segments)
  return entry?.type === 'blob' ? readBlob(objects, entry.sha) : undefined
}

async function readConfigHostname(
  objects: ObjectStore,
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

/** The Authorization header of every request to the deploy remote (its base64 form is masked). */
export const deployAuthorization = (i: SyncInputs) =>
  `basic ${Buffer.from(`x-access-token:${i.token}`, 'utf8').toString('base64')}`

/**
 * A release read and pushed over smart HTTP from this process; a dry run's diff is made here too,
 * from the two trees in memory. No git process runs and the token is never written anywhere: it
 * is only the Authorization header of our own requests.
 */
export async function syncToDeployRepo(
  i: SyncInputs,
  manifests: Manifests | undefined,
  deps: SyncDeps & { debug?: (m: string) => void },
): Promise<SyncResult> {
  const timeoutMs = i.timeoutSeconds * 1000
  const http: RemoteOptions = {
    url: deployRemote(i),
    authorization: deployAuthorization(i),
    deadline: (deps.now ?? Date.now)() + timeoutMs,
    debug: deps.debug,
    // A stalled socket is given up after timeout-seconds, not a fixed minute.
    client: createHttpClient(timeoutMs),
    agent: 'git/argocd-actions',
  }
  try {
    return await syncRelease(http, i, manifests, deps)
  } finally {
    http.client!.dispose()
  }
}

/** What every step of one sync works with. */
interface Session {
  i: SyncInputs
  remote: SmartHttpRemote
  objects: ObjectStore
  /** A server's refusal or fault on a read, explained by its type and status (401, 404, 5xx, ...). */
  read: Reader
  log: (m: string) => void
  now: () => number
}

/**
 * Read the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push
 * with the tip as the ref's expected value. A rejected push starts over from the new tip: the
 * change is re-applied, never rebased stale.
 */
async function syncRelease(
  http: RemoteOptions,
  i: SyncInputs,
  manifests: Manifests | undefined,
  deps: SyncDeps,
): Promise<SyncResult> {
  const remote = new SmartHttpRemote(http)
  const s: Session = {
    i,
    remote,
    objects: new ObjectStore(remote),
    read: async (step) => {
      try {
        return await step()
      } catch (e) {
        throw explainGit('fetch', e, i)
      }
    },
    log: deps.log ?? (() => {}),
    now: deps.now ?? Date.now,
  }
  // The app directory's new tree for each of its current ones (see planRelease).
  const appTrees = new Map<string, string | null>()
  const deadline = s.now() + i.timeoutSeconds * 1000
  let attempts = 0
  // The pushes the server failed (and that did not land), in order.
  const lost: PushOutcomeUnknownError[] = []

  return withRetry(
    async () => {
      attempts++
      const { heads, tip } = await readTip(s)
      const { rootTree, existing } = await readAppDirectory(s, tip)
      const plan = await planRelease(
        s.objects,
        s.read,
        i,
        manifests,
        { rootTree, existing },
        appTrees,
      )
      if (!plan.changed) {
        s.log(`${appDir(i)} is already up to date at ${tip}: nothing to commit.`)
        return { changed: false, sha: tip, files: [], attempts }
      }
      const { appTree, newRoot, files } = plan
      const commit = commitRelease(s, newRoot, tip)
      if (i.dryRun) {
        const diff = await releaseDiff(s.objects, s.read, i, existing, appTree)
        return { changed: true, sha: tip, files, attempts, diff }
      }
      await pushRelease(s, { ...targetRef(i, heads, tip), commit }, attempts, lost)
      return {
        changed: true,
        sha: commit,
        files,
        attempts,
        pushedAt: new Date(s.now()).toISOString(),
      }
    },
    {
      attempts: i.maxAttempts,
      baseMs: 200,
      maxDelayMs: pushBackoffCeilingMs(i),
      deadline,
      retryable: (e) => e instanceof PushRejected,
      sleep: deps.sleep,
      now: s.now,
    },
  ).catch((error: unknown) => {
    throw givenUp(error, i, lost, attempts, () => s.now() >= deadline)
  })
}

/** The branch's tip (and, in pull-request mode, the release branch's), from one listing. */
async function readTip({ i, remote, read }: Session) {
  // HEAD too: a repository with commits lists it, so a listing without it cannot prove that
  // the branch is absent.
  const heads = await read(() =>
    remote.lsRefs([
      'HEAD',
      `refs/heads/${i.branch}`,
      ...(i.mode === 'pull-request' ? [`refs/heads/${releaseBranch(i)}`] : []),
    ]),
  )
  const tip = heads.get(`refs/heads/${i.branch}`)
  if (!tip) throw noBranch(i, heads.has('HEAD'))
  return { heads, tip }
}

/** The tip's root tree and the app directory's tree on it, checked to be one we may replace. */
async function readAppDirectory({ i, objects, read }: Session, tip: string) {
  await read(() => objects.fetchTip(tip))
  const rootTree = rootTreeOf(objects, tip)
  // The app's own directory comes whole (its trees, not its blobs): it is small, and the
  // list of changed files reads all of it.
  const existing = await appDirectoryOn(objects, read, i, rootTree, (tree) =>
    read(() => objects.needTrees(tree)),
  )
  return { rootTree, existing }
}

/**
 * The app directory's tree under `rootTree` (undefined: none yet), checked to be one a release
 * may replace: a directory, an app's, and not inside another app's. Both transports read the
 * trees their own way into `objects`; `whole` reads the app directory's trees when needed.
 */
export async function appDirectoryOn(
  objects: ObjectStore,
  read: Reader,
  i: SyncInputs,
  rootTree: string,
  whole: (tree: string) => Promise<void> = async () => {},
): Promise<string | undefined> {
  const segments = appDir(i).split('/')
  const current = await read(() => entryAt(objects, rootTree, segments))
  // A release replaces a directory, never a file someone put at its path.
  if (current && current.type !== 'tree')
    throw new UserError(
      `${appDir(i)} is a file in ${i.repository.owner}/${i.repository.repo}@${i.branch}, not an app directory: nothing was pushed.`,
    )
  const existing = current?.sha
  if (existing) await whole(existing)
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
  return existing
}

/** A server's refusal or fault on a read, explained by the transport that read. */
export type Reader = <T>(step: () => Promise<T>) => Promise<T>

/** What a release does to the app directory, given what is there: both transports share it. */
export interface ReleasePlan {
  /** The app directory's new tree (null: it goes away). */
  appTree: string | null
  /** The repository's new root tree. */
  newRoot: string
  /** false: the app directory already holds the release. */
  changed: boolean
  files: SyncResult['files']
}

/**
 * The release's new app directory and root tree on what is there (`rootTree`, `existing`, read
 * into `objects`). `appTrees` keeps the new tree for each current one: a retry on a tip where
 * the app did not change (another app's release won the race) reuses it.
 */
export async function planRelease(
  objects: ObjectStore,
  read: Reader,
  i: SyncInputs,
  manifests: Manifests | undefined,
  { rootTree, existing }: { rootTree: string; existing: string | undefined },
  appTrees: Map<string, string | null>,
): Promise<ReleasePlan> {
  let appTree = appTrees.get(existing ?? '')
  if (appTree === undefined) {
    appTree = await read(() => buildAppTree(objects, existing, i, manifests))
    appTrees.set(existing ?? '', appTree)
  }
  const newRoot =
    (await read(() => replaceAt(objects, rootTree, appDir(i).split('/'), appTree))) ??
    (await mktree(objects, []))
  if (newRoot === rootTree) return { appTree, newRoot, changed: false, files: [] }
  const files = changedFiles(
    appDir(i),
    existing ? await read(() => filesBelow(objects, existing)) : new Map(),
    appTree ? await filesBelow(objects, appTree) : new Map(),
  )
  return { appTree, newRoot, changed: true, files }
}

/** A dry run's diff of the app directory, as `git diff` prints it. */
export function releaseDiff(
  objects: ObjectStore,
  read: Reader,
  i: SyncInputs,
  existing: string | undefined,
  appTree: string | null,
): Promise<string> {
  return read(async () =>
    formatPatch(objects, await diffTrees(objects, existing, appTree), `${appDir(i)}/`),
  )
}

/** The release's commit on the tip, in the object store (not yet pushed). */
function commitRelease({ i, objects, now }: Session, tree: string, tip: string): string {
  // As git does with user.name and user.email: nothing that could end the header line.
  const clean = (s: string) => s.replace(/[\r\n<>]/g, '').trim()
  const signature = {
    name: clean(i.authorName),
    email: clean(i.authorEmail),
    time: Math.floor(now() / 1000),
  }
  return objects.add(
    'commit',
    serializeCommit({
      tree,
      parents: [tip],
      author: signature,
      committer: signature,
      message: commitMessage(i),
    }),
  )
}

/** The ref the release is pushed to: the branch, or in pull-request mode a branch of its own. */
function targetRef(i: SyncInputs, heads: Map<string, string>, tip: string) {
  // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
  return i.mode === 'pull-request'
    ? {
        ref: `refs/heads/${releaseBranch(i)}`,
        expected: heads.get(`refs/heads/${releaseBranch(i)}`) ?? '',
      }
    : { ref: `refs/heads/${i.branch}`, expected: tip }
}

/**
 * Pushes the commit with the value we built on as the ref's expected one: a lost race is refused
 * at once (PushRejected: go again). An answer lost on the way is settled by reading the ref.
 */
async function pushRelease(
  { i, remote, objects, read, log }: Session,
  { ref, expected, commit }: { ref: string; expected: string; commit: string },
  attempts: number,
  lost: PushOutcomeUnknownError[],
): Promise<void> {
  try {
    await remote.push({ ref, old: expected, new: commit }, objects.toPush(commit))
  } catch (e) {
    if (e instanceof PushRejectedError && e.isStale && !rulesRefusal(e)) {
      log(
        `push ${attempts} lost a race with another writer: fetching the new tip and applying the release again`,
      )
      throw new PushRejected(e.message)
    }
    if (!(e instanceof PushOutcomeUnknownError)) throw explainGit('push', e, i)
    // The answer was lost, not necessarily the push: the ref tells what happened.
    const now = (await read(() => remote.lsRefs([ref]))).get(ref)
    if (now !== commit) {
      lost.push(e)
      if (lost.length >= SERVER_FAULT_PUSHES) throw pushKeptFailing(i, ref, lost, attempts)
      log(
        `push ${attempts}: its answer was lost or unreadable (${describePushFault(e)}) and ${ref} is not our commit: applying the release again`,
      )
      throw new PushLost(e)
    }
    log(`push ${attempts}: its answer was lost, but ${ref} is our commit: the release landed`)
  }
}

/** What the step says when the retries end: the server's faults, or the lost races. */
function givenUp(
  error: unknown,
  i: SyncInputs,
  lost: PushOutcomeUnknownError[],
  attempts: number,
  pastDeadline: () => boolean,
): unknown {
  // The last push failed by the server's fault: that is what the step says, not lost races.
  if (error instanceof PushLost) {
    const ref =
      i.mode === 'pull-request' ? `refs/heads/${releaseBranch(i)}` : `refs/heads/${i.branch}`
    return pushKeptFailing(i, ref, lost, attempts, pastDeadline())
  }
  if (error instanceof PushRejected) {
    return new UserError(
      `the push was rejected ${attempts} times by concurrent writers or lost on the way (max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}): raise them, or serialise the jobs.`,
    )
  }
  return error
}

/**
 * The branch is not in the listing. Only a listing that names HEAD is one of a repository with
 * commits: without HEAD, the answer may as well be a proxy's or a failing server's as the truth.
 */
function noBranch(i: SyncInputs, listsHead: boolean): UserError {
  const repo = `${i.repository.owner}/${i.repository.repo}`
  return new UserError(
    listsHead
      ? `${repo} has no branch '${i.branch}': check 'branch' (e.g. main).`
      : `fetch of ${repo}: the ref listing (ls-refs) names neither '${i.branch}' nor HEAD: the repository has no commits yet (push a first commit to '${i.branch}'), or the answer is unexpected (a proxy or a failing git server in between; try again later). Nothing was pushed.`,
  )
}

/** What the server did to a push whose outcome was unknown, in words (no server text but ours). */
export function describePushFault(e: PushOutcomeUnknownError): string {
  const cause = e.cause
  if (cause instanceof GitHttpError) {
    const s = cause.status
    if (cause.bodyKind === 'html')
      return `git-receive-pack answered ${s} with an HTML page (a proxy or load balancer in between${s >= 500 ? ', or an outage' : ''})`
    return `git-receive-pack answered ${s}${s >= 500 ? ' (a server error)' : ''}`
  }
  if (cause instanceof GitNetworkError)
    return `the connection to git-receive-pack failed before its answer came (${cause.message.replace(/^update [^:]*: /, '')})`
  if (cause instanceof GitError)
    return `git-receive-pack sent an unreadable answer, not a push report (${cause.message})`
  return `the answer to the push was lost (${String(cause)})`
}

/** The server failed the push every time (or the last time, when time or attempts ran out). */
function pushKeptFailing(
  i: SyncInputs,
  ref: string,
  lost: PushOutcomeUnknownError[],
  attempts: number,
  outOfTime = false,
): UserError {
  const repo = `${i.repository.owner}/${i.repository.repo}`
  const last = describePushFault(lost.at(-1)!)
  const same = lost.every((e) => describePushFault(e) === last)
  const when =
    lost.length === attempts && same
      ? lost.length === 1
        ? 'on the only attempt'
        : `on every attempt (${lost.length})`
      : `on the last of ${attempts} attempts (${lost.length} failed by the server${attempts > lost.length ? `, ${attempts - lost.length} lost races with other writers` : ''})`
  return new UserError(
    `push to ${repo}: ${last} ${when}${outOfTime ? `, and timeout-seconds (${i.timeoutSeconds}) ran out` : ''}; ${ref.replace(/^refs\/heads\//, '')} did not hold the release when read after it. Run the job again later (a release that is already there is a no-op); if it persists, check the git server and anything in front of it (proxy, load balancer).`,
  )
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

/** GitHub's refusals by policy: GH006 (protected branch), GH013 (repository rules / rulesets). */
const rulesRefusal = (e: PushRejectedError) => {
  const text = [e.reason, ...e.messages].join('\n')
  return /\bGH006\b/.test(text)
    ? 'protected'
    : /\bGH013\b/.test(text)
      ? 'ruleset'
      : /protected branch hook declined/.test(e.reason)
        ? 'protected'
        : undefined
}

/** A refusal by a signed-commits rule (branch protection or ruleset). */
const unsignedRefused = (e: PushRejectedError) =>
  /commits must have verified signatures/i.test([e.reason, ...e.messages].join('\n'))

/** What a failed step left: a `read` comes after the push (the wait for Argo CD reads too). */
const pushedYet = (step: 'fetch' | 'push' | 'read') =>
  step === 'read'
    ? ''
    : `; nothing was pushed${step === 'push' ? ' unless the release shows in the branch' : ''}`

/**
 * A git failure in words a person can act on, chosen by its type and HTTP status; the server's
 * text is only shown (redacted), never searched for a status. Every git failure is explained as
 * the server's or the setup's, never as a bug here.
 */
export function explainGit(
  step: 'fetch' | 'push' | 'read',
  error: unknown,
  i: SyncInputs,
): unknown {
  if (!(error instanceof GitError)) {
    return error
  }
  const repo = `${i.repository.owner}/${i.repository.repo}`
  const said = (t: string) =>
    t
      .replace(/AUTHORIZATION: basic \S+/gi, 'AUTHORIZATION: basic ***')
      .trim()
      .slice(0, 300)
  if (error instanceof NotATreeError)
    return new UserError(
      `'${error.path.split('/').pop()}' is a file in the deploy repository where the app's path needs a directory (${error.path}): check 'path'.`,
    )
  if (error instanceof PushRejectedError) {
    const rule = rulesRefusal(error)
    if (rule && unsignedRefused(error))
      return new UserError(
        `${repo}: the branch requires signed commits (${rule === 'ruleset' ? 'GH013, a ruleset' : 'GH006, branch protection'}: "Commits must have verified signatures"), and a git push carries unsigned commits. Use transport: graphql with a GitHub App installation token: GitHub creates and signs the commit itself (createCommitOnBranch), so it shows as verified.`,
      )
    if (rule === 'protected')
      return new UserError(
        `${repo}@${i.branch} is a protected branch: direct pushes are refused. Use mode: pull-request.`,
      )
    if (rule === 'ruleset')
      return new UserError(
        `${repo}@${i.branch}: a repository ruleset refused the push (GH013): ${said(error.messages.join(' ') || error.reason)}. Use mode: pull-request, or ask for a bypass for this token.`,
      )
    return new UserError(
      `push to ${repo}@${i.branch} refused by the server: ${said(error.message)}`,
    )
  }
  if (error instanceof GitHttpError) {
    const s = error.status
    if (s >= 300 && s < 400) {
      const to = /redirected to ([^)]*)\)/.exec(error.text)?.[1] ?? 'elsewhere'
      return new UserError(
        `${step} of ${repo}: the server redirects to ${to}: the repository was renamed or moved; set 'repository' (or 'git-url') to its new name.`,
      )
    }
    if (s === 401)
      return new UserError(`${step} of ${repo}: the token was refused (wrong, revoked or expired).`)
    if (s === 403 && /SAML|\bSSO\b/i.test(error.text))
      return new UserError(
        `${step} of ${repo}: the organization enforces SAML single sign-on and the token is not authorized for it: authorize the token for the organization (Configure SSO), or use an app token.`,
      )
    if (s === 403)
      return new UserError(
        step === 'push'
          ? `the token may read ${repo} but not write to it: give it Contents: Read and write (classic: repo; app: contents: write).`
          : `fetch of ${repo}: the token may not read it (${said(error.text)}): give it Contents: Read (classic: repo).`,
      )
    if (s === 404)
      return new UserError(
        `${step} of ${repo}: repository not found, or the token cannot see it (a fine-grained token must select it; an app must be installed on it).`,
      )
    // A proxy's page is named, not pasted.
    const html = error.bodyKind === 'html'
    if (isTransientStatus(s))
      return new UserError(
        `${step} of ${repo}: the git server kept failing (${s}${html ? ' with an HTML page' : ''}${error.afterRetries ? ', after retries' : ''})${html ? ': a proxy or load balancer in between, or an outage' : ''}; try again later${pushedYet(step)}.`,
      )
    return new UserError(
      `${step} of ${repo}: the git server answered ${s}${html ? ' with an HTML page: a proxy or load balancer in between' : `: ${said(error.text)}`}`,
    )
  }
  if (error instanceof GitNetworkError)
    return new UserError(
      `${step} of ${repo}: the git server could not be reached (${said(error.message)}): try again later.`,
    )
  if (error instanceof PushOutcomeUnknownError)
    return new UserError(`push to ${repo}: ${said(error.message)}`)
  if (error instanceof CapabilityMissingError)
    return new UserError(
      `${step} of ${repo}: ${error.message}. The server must speak git protocol v2 with partial fetches (uploadpack.allowFilter, uploadpack.allowAnySHA1InWant), as GitHub does.`,
    )
  if (error instanceof GitRemoteError)
    return new UserError(
      `${step} of ${repo}: the git server reported an error: ${said(error.text)}`,
    )
  // GitProtocolError: an answer we cannot read (a proxy's, a failing server's).
  return new UserError(
    `${step} of ${repo}: the git server's answer is unreadable: ${said(error.message)}`,
  )
}
