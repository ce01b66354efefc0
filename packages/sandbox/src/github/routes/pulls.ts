// Pull requests of git-backed repositories: create, get, list, merge. Same-repository pulls only
// (no forks). Merging writes the merge (or squash, or rebased commits) into the bare repository
// and moves the base branch, protected or not: a merged pull request is the sanctioned path.
// Auto-merge is not modelled: a client enabling it can be treated as merging at once.
import { authorizeRepo, type Requirement } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import {
  ApiError,
  DOCS,
  errorBody,
  notFound,
  parseJsonObject,
  requireStrings,
  unprocessable,
  validationFailed,
} from '../errors.js'
import { WEB_COMMITTER, type Identity } from '../git.js'
import { isoSeconds } from '../ids.js'
import { paginate } from '../pagination.js'
import { pullRequest } from '../render.js'
import type { PullRecord, RepoRecord } from '../store.js'
import type { TokenRecord } from '../tokens.js'

function requirement(
  permission: string,
  access: 'read' | 'write',
  doc: string,
  write: boolean,
): Requirement {
  return {
    permission,
    access,
    privateScopes: ['repo'],
    publicScopes: write ? ['public_repo', 'repo'] : [],
    doc,
    ...(write ? { acceptedScopesHeader: 'repo' } : {}),
  }
}

const actor = (token: TokenRecord): string =>
  token.kind === 'installation' ? `${token.appSlug}[bot]` : (token.login ?? 'octocat')

/** Head/base shas of an open pull request follow the branches. */
function refresh(repo: RepoRecord, p: PullRecord): void {
  if (p.state !== 'open') return
  p.headSha = repo.branches.get(p.head) ?? p.headSha
  p.baseSha = repo.branches.get(p.base) ?? p.baseSha
}

function details(
  repo: RepoRecord,
  p: PullRecord,
): { mergeable: boolean | null; commits: number; changedFiles: number } {
  const git = repo.git
  if (!git) return { mergeable: null, commits: 0, changedFiles: 0 }
  const base = p.merged ? p.baseSha : repo.branches.get(p.base)
  if (!base) return { mergeable: false, commits: 0, changedFiles: 0 }
  const commits = p.merged ? 0 : git.revList(base, p.headSha).length
  const mergeBase = git.mergeBase(base, p.headSha)
  const changedFiles = mergeBase ? git.changedPaths(mergeBase, p.headSha).length : 0
  const mergeable =
    p.state === 'open' ? git.mergeTree(base, p.headSha) !== undefined : p.merged ? null : null
  return { mergeable, commits, changedFiles }
}

function findPull(repo: RepoRecord, number: number, doc: string): PullRecord {
  const p = repo.pulls.find((x) => x.number === number)
  if (!p) throw notFound(doc)
  return p
}

/** "owner:branch" or "branch"; only this repository's owner is modelled. */
function branchOf(repo: RepoRecord, spec: string): string | undefined {
  const colon = spec.indexOf(':')
  if (colon < 0) return spec
  if (spec.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) return undefined
  return spec.slice(colon + 1)
}

/** POST /repos/{owner}/{repo}/pulls */
export function createPull(ctx: RouteContext, repo: RepoRecord): Reply {
  const doc = DOCS.createPull
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    requirement('pull_requests', 'write', doc, true),
    ctx.headers,
  )
  const input = parseJsonObject(ctx.body, doc)
  const { head, base } = requireStrings(input, ['head', 'base'], doc)
  const title = input['title']
  if (typeof title !== 'string' || title === '')
    throw validationFailed(doc, [
      { resource: 'PullRequest', code: 'missing_field', field: 'title' },
    ])
  const body = typeof input['body'] === 'string' ? input['body'] : null
  const git = repo.git
  if (!git)
    throw unprocessable('The sandbox models pull requests on git-backed repositories only.', doc)
  const headBranch = branchOf(repo, head!)
  if (!headBranch || !repo.branches.has(headBranch))
    throw validationFailed(doc, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
  if (!repo.branches.has(base!))
    throw validationFailed(doc, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
  const headSha = repo.branches.get(headBranch)!
  const baseSha = repo.branches.get(base!)!
  if (git.revList(baseSha, headSha).length === 0)
    throw validationFailed(doc, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `No commits between ${base} and ${head}`,
      },
    ])
  if (repo.pulls.some((p) => p.state === 'open' && p.head === headBranch && p.base === base))
    throw validationFailed(doc, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${repo.owner}:${headBranch}.`,
      },
    ])
  const pull = ctx.store.addPull(repo, {
    title,
    body,
    head: headBranch,
    base: base!,
    user: actor(ctx.token!),
    draft: input['draft'] === true,
  })
  const out = pullRequest(ctx.api, ctx.store, repo, pull, ctx.token, details(repo, pull))
  ctx.headers['location'] = String(out['url'])
  return { status: 201, body: out }
}

/** GET /repos/{owner}/{repo}/pulls/{pull_number} */
export function getPull(ctx: RouteContext, repo: RepoRecord, number: number): Reply {
  const doc = DOCS.getPull
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    requirement('pull_requests', 'read', doc, false),
    ctx.headers,
  )
  const p = findPull(repo, number, doc)
  refresh(repo, p)
  return {
    status: 200,
    body: pullRequest(ctx.api, ctx.store, repo, p, ctx.token, details(repo, p)),
  }
}

/** GET /repos/{owner}/{repo}/pulls?state=&head=owner:branch&base= (newest first). */
export function listPulls(ctx: RouteContext, repo: RepoRecord): Reply {
  const doc = DOCS.listPulls
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    requirement('pull_requests', 'read', doc, false),
    ctx.headers,
  )
  const q = ctx.url.searchParams
  const state = q.get('state') ?? 'open'
  const head = q.get('head')
  const base = q.get('base')
  const items = repo.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => {
      if (!head) return true
      // GitHub expects "user:ref-name"; a bare branch name matches nothing.
      const colon = head.indexOf(':')
      return (
        colon >= 0 &&
        head.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() &&
        head.slice(colon + 1) === p.head
      )
    })
    .filter((p) => !base || p.base === base)
    .sort((a, b) => b.number - a.number)
  for (const p of items) refresh(repo, p)
  const page = paginate(items, new URL(`${ctx.api}/repositories/${repo.id}/pulls${ctx.url.search}`))
  if (page.link) ctx.headers['link'] = page.link
  return {
    status: 200,
    body: page.items.map((p) => pullRequest(ctx.api, ctx.store, repo, p, ctx.token)),
  }
}

/** PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge */
export function mergePull(ctx: RouteContext, repo: RepoRecord, number: number): Reply {
  const doc = DOCS.mergePull
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    requirement('contents', 'write', doc, true),
    ctx.headers,
  )
  const p = findPull(repo, number, doc)
  const input = parseJsonObject(ctx.body, doc)
  const method = input['merge_method'] ?? 'merge'
  if (method !== 'merge' && method !== 'squash' && method !== 'rebase')
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/merge_method', ${JSON.stringify(method)} is not one of ["merge", "squash", "rebase"].`,
      doc,
    )
  refresh(repo, p)
  const git = repo.git
  // Recalled: 405 "Pull Request is not mergeable" for closed, merged or conflicting pulls.
  const notMergeable = (message = 'Pull Request is not mergeable') =>
    new ApiError(405, errorBody(405, message, doc))
  if (!git || p.state !== 'open') throw notMergeable()
  if (typeof input['sha'] === 'string' && input['sha'] !== p.headSha)
    throw new ApiError(
      409,
      errorBody(409, 'Head branch was modified. Review and try the merge again.', doc),
    )
  const base = repo.branches.get(p.base)
  if (!base) throw notMergeable()
  const tree = git.mergeTree(base, p.headSha)
  if (!tree) throw notMergeable()

  const login = actor(ctx.token!)
  const user = ctx.store.account(login)
  const me: Identity = {
    name: login,
    email: `${user.id}+${login}@users.noreply.github.com`,
    date: isoSeconds(),
  }
  const committer = { ...WEB_COMMITTER, date: me.date! }
  const title = typeof input['commit_title'] === 'string' ? input['commit_title'] : undefined
  const message = typeof input['commit_message'] === 'string' ? input['commit_message'] : undefined
  let sha: string
  if (method === 'merge') {
    sha = git.commit({
      parents: [base, p.headSha],
      tree,
      message: `${title ?? `Merge pull request #${p.number} from ${repo.owner}/${p.head}`}\n\n${message ?? p.title}`,
      author: me,
      committer,
    })
  } else if (method === 'squash') {
    const commits = git.revList(base, p.headSha)
    const list = commits.map((c) => `* ${repo.commits.get(c)?.message.split('\n')[0] ?? c}`)
    sha = git.commit({
      parents: [base],
      tree,
      message: `${title ?? `${p.title} (#${p.number})`}\n\n${message ?? list.join('\n\n')}`,
      author: me,
      committer,
    })
  } else {
    // Rebase: replays each commit with GitHub as committer. Only a base the head already
    // contains is modelled (a diverged base would need a cherry-pick per commit).
    if (!git.isAncestor(base, p.headSha)) throw notMergeable('This branch can\u2019t be rebased')
    sha = base
    for (const c of git.revList(base, p.headSha)) {
      const rec = repo.commits.get(c)
      const author = rec?.git?.author ?? me
      sha = git.commit({
        parents: [sha],
        tree: git.treeOf(c),
        message: rec?.message ?? c,
        author,
        committer,
      })
    }
  }
  if (!git.updateRef(`refs/heads/${p.base}`, sha, base))
    throw notMergeable('Base branch was modified. Review and try the merge again.')
  const now = isoSeconds()
  Object.assign(p, {
    state: 'closed',
    merged: true,
    mergedAt: now,
    mergedBy: login,
    mergeCommitSha: sha,
    baseSha: base,
    updatedAt: now,
    closedAt: now,
  } satisfies Partial<PullRecord>)
  ctx.store.syncFromGit(repo, 'merge', login)
  return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } }
}
