// JSON representations, field for field as GitHub's OpenAPI description defines them
// (test/openapi.test.ts validates them). API URLs point at the sandbox; html URLs at github.com.
import { isoSeconds, legacyNodeId } from './ids.js'
import type { CommitRecord, PullRecord, RepoRecord, Store, UserRecord } from './store.js'
import type { TokenRecord } from './tokens.js'
import type { DeployKeyRecord, HookRecord, StatusRecord } from './types.js'

const HTML = 'https://github.com'

export function simpleUser(api: string, user: UserRecord): Record<string, unknown> {
  const u = `${api}/users/${encodeURIComponent(user.login)}`
  return {
    login: user.login,
    id: user.id,
    node_id: legacyNodeId(user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url:
      user.type === 'Bot'
        ? `${HTML}/apps/${user.login.replace(/\[bot\]$/, '')}`
        : `${HTML}/${user.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  }
}

/** GET /user: the "Private User" variant (the caller's own account). */
export function privateUser(api: string, user: UserRecord): Record<string, unknown> {
  return {
    ...simpleUser(api, user),
    name: user.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  }
}

function repoUrls(api: string, repo: RepoRecord): Record<string, string> {
  const r = `${api}/repos/${repo.fullName}`
  return {
    html_url: `${HTML}/${repo.fullName}`,
    url: r,
    forks_url: `${r}/forks`,
    keys_url: `${r}/keys{/key_id}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    teams_url: `${r}/teams`,
    hooks_url: `${r}/hooks`,
    issue_events_url: `${r}/issues/events{/number}`,
    events_url: `${r}/events`,
    assignees_url: `${r}/assignees{/user}`,
    branches_url: `${r}/branches{/branch}`,
    tags_url: `${r}/tags`,
    blobs_url: `${r}/git/blobs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    trees_url: `${r}/git/trees{/sha}`,
    statuses_url: `${r}/statuses/{sha}`,
    languages_url: `${r}/languages`,
    stargazers_url: `${r}/stargazers`,
    contributors_url: `${r}/contributors`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    commits_url: `${r}/commits{/sha}`,
    git_commits_url: `${r}/git/commits{/sha}`,
    comments_url: `${r}/comments{/number}`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    contents_url: `${r}/contents/{+path}`,
    compare_url: `${r}/compare/{base}...{head}`,
    merges_url: `${r}/merges`,
    archive_url: `${r}/{archive_format}{/ref}`,
    downloads_url: `${r}/downloads`,
    issues_url: `${r}/issues{/number}`,
    pulls_url: `${r}/pulls{/number}`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    labels_url: `${r}/labels{/name}`,
    releases_url: `${r}/releases{/id}`,
    deployments_url: `${r}/deployments`,
  }
}

/** The "Minimal Repository" used inside the combined status. */
export function minimalRepository(
  api: string,
  store: Store,
  repo: RepoRecord,
): Record<string, unknown> {
  return {
    id: repo.id,
    node_id: legacyNodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: simpleUser(api, store.account(repo.owner)),
    description: null,
    fork: false,
    ...repoUrls(api, repo),
  }
}

/** Role the caller has on the repository, as GET /repos reports it. */
function permissionsFor(token: TokenRecord | null): Record<string, boolean> | undefined {
  if (!token) return undefined
  if (token.kind === 'installation') {
    // Apps have what they were granted; users in the sandbox own everything they touch.
    const push = token.permissions['contents'] === 'write'
    const admin = token.permissions['administration'] === 'write'
    return { admin, maintain: admin, push, triage: push, pull: true }
  }
  return { admin: true, maintain: true, push: true, triage: true, pull: true }
}

const mergeSettings = {
  temp_clone_token: '',
  allow_squash_merge: true,
  allow_merge_commit: true,
  allow_rebase_merge: true,
  allow_auto_merge: false,
  delete_branch_on_merge: false,
  allow_update_branch: false,
  use_squash_pr_title_as_default: false,
}

/** GET /repos/{owner}/{repo}: the "Full Repository". */
export function fullRepository(
  api: string,
  store: Store,
  repo: RepoRecord,
  token: TokenRecord | null,
): Record<string, unknown> {
  const owner = store.account(repo.owner)
  const permissions = permissionsFor(token)
  return {
    id: repo.id,
    node_id: legacyNodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: simpleUser(api, owner),
    description: null,
    fork: false,
    ...repoUrls(api, repo),
    git_url: `git://github.com/${repo.fullName}.git`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    clone_url: `${HTML}/${repo.fullName}.git`,
    svn_url: `${HTML}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.updatedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    ...(permissions ? { permissions } : {}),
    // Merge settings are only shown to callers who may change them.
    ...(permissions?.['admin'] ? mergeSettings : {}),
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    ...(owner.type === 'Organization' ? { organization: simpleUser(api, owner) } : {}),
    network_count: 0,
    subscribers_count: 0,
  }
}

/** The "Repository" of list endpoints (/user/repos, /installation/repositories). */
export function repository(
  api: string,
  store: Store,
  repo: RepoRecord,
  token: TokenRecord | null,
): Record<string, unknown> {
  const {
    organization: _organization,
    network_count: _networkCount,
    subscribers_count: _subscribersCount,
    ...rest
  } = fullRepository(api, store, repo, token)
  return rest
}

/** A repository "Webhook" (create and list responses). */
export function hook(api: string, repo: RepoRecord, h: HookRecord): Record<string, unknown> {
  const u = `${api}/repos/${repo.fullName}/hooks/${h.id}`
  const { secret, ...config } = h.config
  return {
    type: 'Repository',
    id: h.id,
    name: h.name,
    active: h.active,
    events: h.events,
    // GitHub never echoes a secret.
    config: secret !== undefined ? { ...config, secret: '********' } : config,
    updated_at: h.updated_at,
    created_at: h.created_at,
    url: u,
    test_url: `${u}/test`,
    ping_url: `${u}/pings`,
    deliveries_url: `${u}/deliveries`,
    last_response: { code: null, status: 'unused', message: null },
  }
}

/** A "Deploy Key". */
export function deployKey(
  api: string,
  repo: RepoRecord,
  k: DeployKeyRecord,
): Record<string, unknown> {
  return {
    id: k.id,
    key: k.key,
    url: `${api}/repos/${repo.fullName}/keys/${k.id}`,
    title: k.title,
    verified: true,
    created_at: k.created_at,
    read_only: k.read_only,
    added_by: k.added_by,
    last_used: null,
    enabled: true,
  }
}

/** A "Git Reference". */
export function gitRef(
  api: string,
  repo: RepoRecord,
  ref: string,
  sha: string,
): Record<string, unknown> {
  const r = `${api}/repos/${repo.fullName}`
  return {
    ref,
    node_id: legacyNodeId('Ref', `${repo.id}:${ref}`),
    url: `${r}/git/${ref}`,
    object: { sha, type: 'commit', url: `${r}/git/commits/${sha}` },
  }
}

export interface ContentEntry {
  type: 'file' | 'dir'
  name: string
  path: string
  sha: string
  size: number
  /** Files only. */
  text?: string
  /** Files only: raw bytes (git-backed repositories); wins over `text`. */
  data?: Buffer
}

/** One entry of a directory listing, or (with `withContent`) a "Content File". */
export function contentItem(
  api: string,
  repo: RepoRecord,
  branch: string,
  e: ContentEntry,
  withContent = false,
): Record<string, unknown> {
  const r = `${api}/repos/${repo.fullName}`
  const self = `${r}/contents/${e.path}?ref=${encodeURIComponent(branch)}`
  const git = `${r}/git/${e.type === 'dir' ? 'trees' : 'blobs'}/${e.sha}`
  const html = `${HTML}/${repo.fullName}/${e.type === 'dir' ? 'tree' : 'blob'}/${branch}/${e.path}`
  const download =
    e.type === 'file'
      ? `https://raw.githubusercontent.com/${repo.fullName}/${branch}/${e.path}`
      : null
  const content =
    withContent && e.type === 'file'
      ? {
          // GitHub wraps base64 at 60 characters, with a trailing newline.
          content: (
            (e.data ?? Buffer.from(e.text ?? '', 'utf8')).toString('base64').match(/.{1,60}/g) ?? []
          )
            .map((line) => `${line}\n`)
            .join(''),
          encoding: 'base64',
        }
      : {}
  return {
    name: e.name,
    path: e.path,
    sha: e.sha,
    size: e.size,
    url: self,
    html_url: html,
    git_url: git,
    download_url: download,
    type: e.type,
    ...content,
    _links: { self, git, html },
  }
}

function gitUser(store: Store, login: string, date: string): Record<string, string> {
  const user = store.account(login)
  return { name: login, email: `${user.id}+${login}@users.noreply.github.com`, date }
}

/** GET /repos/{owner}/{repo}/commits/{ref}: the "Commit". */
export function commit(
  api: string,
  store: Store,
  repo: RepoRecord,
  c: CommitRecord,
): Record<string, unknown> {
  const r = `${api}/repos/${repo.fullName}`
  // Git-backed commits: GitHub links an account only when the email belongs to one.
  const linked = (email: string): Record<string, unknown> | null => {
    const login = /^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$/i.exec(email)?.[1]
    return login ? simpleUser(api, store.account(login)) : null
  }
  const g = c.git
  const author = g ? linked(g.author.email) : simpleUser(api, store.account(c.author))
  const committer = g ? linked(g.committer.email) : author
  const iso = (d: string) => isoSeconds(d)
  return {
    sha: c.sha,
    node_id: legacyNodeId('Commit', `${repo.id}:${c.sha}`),
    commit: {
      author: g
        ? { name: g.author.name, email: g.author.email, date: iso(g.author.date) }
        : gitUser(store, c.author, c.date),
      committer: g
        ? { name: g.committer.name, email: g.committer.email, date: iso(g.committer.date) }
        : gitUser(store, c.author, c.date),
      message: c.message,
      tree: { sha: c.treeSha, url: `${r}/git/trees/${c.treeSha}` },
      url: `${r}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: verification(repo, c.sha),
    },
    url: `${r}/commits/${c.sha}`,
    html_url: `${HTML}/${repo.fullName}/commit/${c.sha}`,
    comments_url: `${r}/commits/${c.sha}/comments`,
    author,
    committer,
    parents: c.parents.map((sha) => ({
      sha,
      url: `${r}/commits/${sha}`,
      html_url: `${HTML}/${repo.fullName}/commit/${sha}`,
    })),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: [],
  }
}

/** A commit's `verification`: the commits the sandbox signed (createCommitOnBranch) are valid. */
export function verification(repo: RepoRecord, sha: string): Record<string, unknown> {
  const signed = repo.signatures.get(sha)
  return signed
    ? {
        verified: true,
        reason: 'valid',
        signature: signed.signature,
        payload: signed.payload,
        verified_at: signed.verifiedAt,
      }
    : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
}

/** A commit "Status" (create and list responses). */
export function status(
  api: string,
  store: Store,
  repo: RepoRecord,
  s: StatusRecord,
): Record<string, unknown> {
  const creator = simpleUser(api, store.account(s.creator))
  return {
    url: `${api}/repos/${repo.fullName}/statuses/${s.sha}`,
    avatar_url: creator['avatar_url'],
    id: s.id,
    node_id: s.node_id,
    state: s.state,
    description: s.description,
    target_url: s.target_url,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
    creator,
  }
}

/** An entry of the combined status ("Simple Commit Status"): no creator. */
export function simpleStatus(
  api: string,
  store: Store,
  repo: RepoRecord,
  s: StatusRecord,
): Record<string, unknown> {
  const { creator: _creator, ...rest } = status(api, store, repo, s)
  return rest
}

/** GitHub's rule: failure if any error/failure, pending if none or any pending, else success. */
export function combinedState(latest: StatusRecord[]): 'failure' | 'pending' | 'success' {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure'
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending'
  return 'success'
}

/** GET / */
export function apiRoot(api: string): Record<string, string> {
  return {
    current_user_url: `${api}/user`,
    current_user_authorizations_html_url: `${HTML}/settings/connections/applications{/client_id}`,
    authorizations_url: `${api}/authorizations`,
    code_search_url: `${api}/search/code?q={query}{&page,per_page,sort,order}`,
    commit_search_url: `${api}/search/commits?q={query}{&page,per_page,sort,order}`,
    emails_url: `${api}/user/emails`,
    emojis_url: `${api}/emojis`,
    events_url: `${api}/events`,
    feeds_url: `${api}/feeds`,
    followers_url: `${api}/user/followers`,
    following_url: `${api}/user/following{/target}`,
    gists_url: `${api}/gists{/gist_id}`,
    hub_url: `${api}/hub`,
    issue_search_url: `${api}/search/issues?q={query}{&page,per_page,sort,order}`,
    issues_url: `${api}/issues`,
    keys_url: `${api}/user/keys`,
    label_search_url: `${api}/search/labels?q={query}&repository_id={repository_id}{&page,per_page}`,
    notifications_url: `${api}/notifications`,
    organization_url: `${api}/orgs/{org}`,
    organization_repositories_url: `${api}/orgs/{org}/repos{?type,page,per_page,sort}`,
    organization_teams_url: `${api}/orgs/{org}/teams`,
    public_gists_url: `${api}/gists/public`,
    rate_limit_url: `${api}/rate_limit`,
    repository_url: `${api}/repos/{owner}/{repo}`,
    repository_search_url: `${api}/search/repositories?q={query}{&page,per_page,sort,order}`,
    current_user_repositories_url: `${api}/user/repos{?type,page,per_page,sort}`,
    starred_url: `${api}/user/starred{/owner}{/repo}`,
    starred_gists_url: `${api}/gists/starred`,
    topic_search_url: `${api}/search/topics?q={query}{&page,per_page}`,
    user_url: `${api}/users/{user}`,
    user_organizations_url: `${api}/user/orgs`,
    user_repositories_url: `${api}/users/{user}/repos{?type,page,per_page,sort}`,
    user_search_url: `${api}/search/users?q={query}{&page,per_page,sort,order}`,
  }
}

/** The `head`/`base` of a pull request. */
function pullEnd(
  api: string,
  store: Store,
  repo: RepoRecord,
  ref: string,
  sha: string,
  token: TokenRecord | null,
): Record<string, unknown> {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(api, store.account(repo.owner)),
    repo: repository(api, store, repo, token),
  }
}

/** "Pull Request Simple" (list); `full` adds the fields of GET /pulls/{n} ("Pull Request"). */
export function pullRequest(
  api: string,
  store: Store,
  repo: RepoRecord,
  p: PullRecord,
  token: TokenRecord | null,
  full?: { mergeable: boolean | null; commits: number; changedFiles: number },
): Record<string, unknown> {
  const r = `${api}/repos/${repo.fullName}`
  const html = `${HTML}/${repo.fullName}/pull/${p.number}`
  const issue = `${r}/issues/${p.number}`
  const self = `${r}/pulls/${p.number}`
  const simple: Record<string, unknown> = {
    url: self,
    id: p.id,
    node_id: legacyNodeId('PullRequest', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${r}/statuses/${p.headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: simpleUser(api, store.account(p.user)),
    body: p.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: pullEnd(api, store, repo, p.head, p.headSha, token),
    base: pullEnd(api, store, repo, p.base, p.baseSha, token),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${r}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${r}/statuses/${p.headSha}` },
    },
    author_association: store.account(p.user).login === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: p.draft,
  }
  if (!full) return simple
  return {
    ...simple,
    merged: p.merged,
    mergeable: full.mergeable,
    rebaseable: full.mergeable,
    mergeable_state: p.state === 'closed' ? 'unknown' : full.mergeable ? 'clean' : 'dirty',
    merged_by: p.mergedBy ? simpleUser(api, store.account(p.mergedBy)) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: full.commits,
    additions: 0,
    deletions: 0,
    changed_files: full.changedFiles,
  }
}
