import {
  InputError,
  clip,
  getBoolean,
  getEnum,
  getInteger,
  getRepository,
  getString,
  getToken,
  getUrl,
  type InputReader,
  type Repository,
} from '@argocd-actions/core'
import { parseUpdate, type UpdateSpec } from './update-spec.js'
import { checkDnsLabel, urlProblem } from './names.js'
import { gitPathProblem } from './git-paths.js'

export interface SyncInputs {
  token: string
  repository: Repository
  branch: string
  /** The cluster's apps directory, e.g. plat/use2-dev/apps. */
  path: string
  namespace: string
  application: string
  operation: 'deploy' | 'destroy'
  manifests?: string
  /** Per-file size limit of the rendered manifests, in bytes. */
  maxManifestBytes: number
  bump?: { image: string; tag: string; update: UpdateSpec }
  appRepository: string
  appCommit: string
  appHostname?: string
  apiUrl: string
  serverUrl: string
  authorName: string
  authorEmail: string
  commitMessage: string
  mode: 'push' | 'pull-request'
  /** git: smart-HTTP push; graphql: GitHub's createCommitOnBranch (signed by GitHub). */
  transport: 'git' | 'graphql'
  autoMerge: boolean
  maxAttempts: number
  timeoutSeconds: number
  dryRun: boolean
  runUrl: string
}

const PLACEHOLDERS = ['app', 'namespace', 'sha', 'repository', 'run_url']
export const DEFAULT_MESSAGE = 'Deploy {repository}@{sha} to {namespace}.{app}'

/** Repository-relative directory: no '..', no absolute path, plain characters only. */
export function checkRelativePath(input: string, value: string, example: string): string {
  const problem = relativePathProblem(value)
  if (problem) throw new InputError(input, problem, example)
  return cleanPath(value)
}

const cleanPath = (value: string) => value.replace(/^\.\//, '').replace(/\/+$/, '')

/** What is wrong with a repository-relative directory, said after "Input 'x' ", or undefined. */
export function relativePathProblem(value: string): string | undefined {
  const clean = cleanPath(value)
  if (
    !clean ||
    clean.startsWith('/') ||
    !/^[A-Za-z0-9._\-/]+$/.test(clean) ||
    clean.split('/').some((p) => !p || p === '.' || p === '..')
  )
    return `must be a relative directory of the deploy repo without '..', not '${clip(value)}'`
  // Plain characters still spell .git in other ways (.GIT, .git., git~1): git refuses those.
  const git = gitPathProblem(clean)
  if (git) return `'${clip(clean)}' is not a path git accepts: it has ${git}`
  return undefined
}

/** `https://github.com/<org>/<repo>/blob/<branch>/<path>`, as existing users pass it. */
export function parseTarget(value: string): {
  serverUrl: string
  repository: Repository
  branch: string
  path: string
} {
  const example = 'https://github.com/acme/argocd-deploy-non-prod/blob/main/plat/use2-dev/apps'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError('target', `is not a URL: '${clip(value)}'`, example)
  }
  const m = /^\/([^/]+)\/([^/]+)\/(?:blob|tree)\/([^/]+)\/(.+)$/.exec(url.pathname)
  if (!/^https?:$/.test(url.protocol) || !m || url.username || url.password) {
    throw new InputError(
      'target',
      `must look like https://HOST/<org>/<repo>/blob/<branch>/<path>, not '${clip(value)}'`,
      example,
    )
  }
  return {
    serverUrl: url.origin,
    repository: getRepository(() => `${m[1]}/${m[2]}`, 'target'),
    branch: checkBranch('target', decodeURIComponent(m[3])),
    path: checkRelativePath('target', decodeURIComponent(m[4]), example),
  }
}

function checkBranch(input: string, value: string): string {
  // Printable ASCII and at most 255: later messages quote the branch as it is.
  if (
    !value ||
    value.length > 255 ||
    /[^\x21-\x7e]|[~^:?*[\\]|\.\.|@\{|^[/.-]|[/.]$|\.lock$/.test(value)
  ) {
    throw new InputError(input, `is not a valid branch name: '${clip(value)}'`, 'main')
  }
  return value
}

export function parseInputs(read: InputReader, env: NodeJS.ProcessEnv = process.env): SyncInputs {
  const token = getToken(read, 'token')
  const target = read('target').trim()
  let where: { serverUrl?: string; repository: Repository; branch: string; path: string }
  if (target) {
    for (const clash of ['repository', 'path']) {
      if (read(clash).trim())
        throw new InputError(
          clash,
          "cannot be used with 'target': the URL already names it",
          target,
        )
    }
    where = parseTarget(target)
  } else {
    where = {
      repository: getRepository(read, 'repository'),
      branch: checkBranch('branch', read('branch').trim() || 'main'),
      path: checkRelativePath(
        'path',
        getString(read, 'path', { required: true, example: 'plat/use2-dev/apps' }),
        'plat/use2-dev/apps',
      ),
    }
  }
  const namespace = checkDnsLabel(
    'namespace',
    getString(read, 'namespace', { required: true, example: 'web' }),
    'web',
  )
  const application = checkDnsLabel(
    'application',
    getString(read, 'application', { required: true, example: 'web-app' }),
    'web-app',
  )
  const operation = getEnum(read, 'operation', ['deploy', 'destroy'] as const, 'deploy')

  const manifests = read('manifests').trim() || undefined
  const image = read('image').trim()
  const tag = read('tag').trim()
  const update = read('update').trim()
  let bump: SyncInputs['bump']
  if (operation === 'deploy') {
    if (manifests && (image || tag || update)) {
      throw new InputError(
        'manifests',
        "cannot be combined with 'image', 'tag' and 'update': give rendered manifests or an image bump",
        'rendered/',
      )
    }
    if (!manifests) {
      if (!image || !tag || !update) {
        throw new InputError(
          'manifests',
          "or 'image' + 'tag' + 'update' is required to deploy",
          'rendered/',
        )
      }
      if (!/^[a-z0-9]+([._/:-][a-z0-9]+)*$/.test(image) || image.length > 255) {
        throw new InputError(
          'image',
          `is not an image name: '${clip(image)}'`,
          'ghcr.io/acme/web-app',
        )
      }
      if (!/^[\w][\w.-]{0,127}$/.test(tag))
        throw new InputError('tag', `is not an image tag: '${clip(tag)}'`, 'v1.4.2')
      bump = { image, tag, update: parseUpdate(update, application) }
    }
  }

  const appRepository = read('app-repository').trim() || env.GITHUB_REPOSITORY || ''
  getRepository(() => appRepository, 'app-repository')
  const appCommit = read('app-commit').trim() || env.GITHUB_SHA || ''
  if (!/^[0-9a-f]{40}$/.test(appCommit)) {
    throw new InputError(
      'app-commit',
      `must be a full 40-character commit SHA, never a branch or tag name: '${clip(appCommit)}'`,
      '${{ github.sha }}',
    )
  }
  const appHostname =
    getUrl(read, 'app-hostname', { example: 'https://web.use2-dev.acme.test' }) || undefined
  const hostnameProblem = appHostname && urlProblem(appHostname)
  if (hostnameProblem)
    throw new InputError('app-hostname', hostnameProblem, 'https://web.use2-dev.acme.test')

  const commitMessage = read('commit-message').trim() || DEFAULT_MESSAGE
  for (const m of commitMessage.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.includes(m[1])) {
      throw new InputError(
        'commit-message',
        `has an unknown placeholder {${m[1]}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        DEFAULT_MESSAGE,
      )
    }
  }
  const authorEmail =
    read('author-email').trim() || '41898282+github-actions[bot]@users.noreply.github.com'
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(authorEmail))
    throw new InputError(
      'author-email',
      `is not an e-mail address: '${clip(authorEmail)}'`,
      'deploy-bot@acme.test',
    )
  const authorName = read('author-name').trim() || 'github-actions[bot]'
  if (/[<>\n]/.test(authorName))
    throw new InputError('author-name', 'must not contain <, > or a line break', 'Release Bot')

  const serverUrl = getUrl(read, 'git-url', {
    fallback: where.serverUrl ?? env.GITHUB_SERVER_URL ?? 'https://github.com',
    example: 'https://github.com',
  })
  const timeoutSeconds = getInteger(read, 'timeout-seconds', { fallback: 300, min: 10, max: 3600 })
  return {
    token,
    repository: where.repository,
    branch: where.branch,
    path: where.path,
    namespace,
    application,
    operation,
    manifests,
    // Kept in sync with release-files.ts (not imported: the YAML parser loads after the inputs).
    maxManifestBytes:
      getInteger(read, 'max-manifest-mb', { fallback: 10, min: 1, max: 50 }) * 1024 * 1024,
    bump,
    appRepository,
    appCommit,
    appHostname,
    apiUrl: getUrl(read, 'github-api-url', {
      fallback: env.GITHUB_API_URL || 'https://api.github.com',
      example: 'https://api.github.com',
    }),
    serverUrl,
    authorName,
    authorEmail,
    commitMessage,
    mode: getEnum(read, 'mode', ['push', 'pull-request'] as const, 'push'),
    transport: getEnum(read, 'transport', ['git', 'graphql'] as const, 'git'),
    autoMerge: getBoolean(read, 'auto-merge', false),
    maxAttempts: getInteger(read, 'max-attempts', { fallback: 20, min: 1, max: 100 }),
    timeoutSeconds,
    dryRun: getBoolean(read, 'dry-run', false),
    runUrl:
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : '',
  }
}
