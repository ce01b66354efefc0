import type { ArgoCdGetOptions } from '../argocd-api.js'
import { InputError } from '../errors.js'
import type { GitHubClient } from '../github.js'
import { auditArgoCdToken } from './argocd-audit.js'
import { auditBitbucketToken } from './bitbucket-audit.js'
import {
  isUnverifiable,
  type ExcessPolicy,
  type Finding,
  type ProviderFindings,
  type RepositoryCheck,
} from './findings.js'
import { auditGitHubToken } from './github-audit.js'
import { auditGitLabToken } from './gitlab-audit.js'
import type { Provider, TokenIdentity } from './kind.js'
import type { Profile } from './profile-schema.js'

export interface AuditOptions {
  token: string
  identity: TokenIdentity
  profile: Profile
  /** slot → owner/repo (GitHub), group/project (GitLab), workspace/slug (Bitbucket). */
  repositories: Record<string, string>
  organization?: string
  /** Empty: the provider's public API. */
  apiUrl?: string
  minDaysLeft: number
  warnDaysLeft: number
  onExcess: ExcessPolicy
  probeWrites: boolean
  /** The token's name, checked against the naming convention. */
  name?: string
  /** A token that never expires fails (else: a warning when the profile wants rotation). */
  requireExpiry?: boolean
  /** Argo CD tokens: the release's project and applications (`<app>` or `<namespace>/<app>`). */
  argocd?: { project: string; applications: string[] }
  /** Argo CD requests' retry and timeout (tests shorten them). */
  argocdHttp?: ArgoCdGetOptions
  now?: Date
}

export interface AuditClients {
  github: (token: string, baseUrl: string) => GitHubClient
}

/** The whole verdict; never holds the token. */
export interface AuditReport {
  valid: boolean
  /** Human words; `outcome` is the same for machines. */
  verdict: string
  /**
   * 'cannot-verify': an answer could not be read (server fault, proxy page, rate limit, timeout,
   * wrong shape) and nothing else proves the token wrong; never a pass.
   */
  outcome: 'fits' | 'does-not-fit' | 'cannot-verify'
  profile: string
  provider: string
  tokenType: string
  login?: string
  /** null: never expires, or unknown (then expiryKnown is false). */
  expiresAt: string | null
  /** false when no readable answer told the expiry: "never" is not claimed then. */
  expiryKnown: boolean
  daysLeft: number | null
  scopes?: string[]
  repositories: RepositoryCheck[]
  missing: Finding[]
  excess: Finding[]
  findings: Finding[]
  requests: number
  durationMs: number
  /** Write permissions were probed (probe-writes); otherwise 'read' may also be 'write'. */
  writesProbed: boolean
}

/** Argo CD has no public instance: its server is always given ('api-url'). */
export const DEFAULT_API_URLS: Record<Provider, string> = {
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com',
  bitbucket: 'https://api.bitbucket.org',
  argocd: '',
}

const SLOT_EXAMPLES: Record<string, string> = {
  deploy: 'argocd-deploy-non-prod',
  'deploy-prod': 'argocd-deploy-prod',
  infra: 'infra-repo',
  app: 'my-app',
}
const slotExample = (slot: string, example: string) =>
  `${slot}: ${example.split('/')[0]}/${SLOT_EXAMPLES[slot] ?? example.split('/')[1]}`

const PATHS = {
  github: { pattern: /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, example: 'my-org/argocd-deploy-non-prod' },
  gitlab: {
    pattern: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/,
    example: 'my-group/argocd-deploy-non-prod',
  },
  bitbucket: {
    pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    example: 'my-workspace/argocd-deploy-non-prod',
  },
}

/** Checks the repositories map against the profile's slots before anything is sent. */
export function checkSlots(
  opts: Pick<AuditOptions, 'identity' | 'profile' | 'repositories' | 'argocd' | 'apiUrl'>,
): void {
  const provider = opts.identity.provider
  const section = opts.profile[provider]
  if (!section) {
    const has = (['github', 'gitlab', 'bitbucket', 'argocd'] as const).filter(
      (p) => opts.profile[p],
    )
    throw new InputError(
      'profile',
      `'${opts.profile.name}' has no requirements for ${provider} tokens (it covers: ${has.join(', ')})`,
      provider === 'argocd' ? 'argocd-ci-sync' : 'codefresh-runtime',
    )
  }
  if (provider === 'argocd') return checkArgoCdTargets(opts)
  if (opts.argocd) {
    throw new InputError(
      'argocd-project',
      `is for Argo CD tokens; this is a ${provider} token (its repositories go in 'repositories')`,
      '',
    )
  }
  const slots = provider === 'github' ? opts.profile.github!.repositories : {}
  const { pattern, example } = PATHS[provider]
  for (const [slot, path] of Object.entries(opts.repositories)) {
    if (provider === 'github' && !(slot in slots)) {
      const names = Object.keys(slots)
      throw new InputError(
        'repositories',
        `has a slot '${slot}' that profile '${opts.profile.name}' does not use; its slots: ${names.join(', ') || 'none'}`,
        `{ ${names[0] ?? 'deploy'}: ${example} }`,
      )
    }
    if (!pattern.test(path))
      throw new InputError(
        'repositories',
        `slot '${slot}' must be a repository path, not '${path}'`,
        `{ ${slot}: ${example} }`,
      )
  }
  if (provider === 'github') {
    const missing = Object.entries(slots)
      .filter(([slot, req]) => !req.optional && !(slot in opts.repositories))
      .map(([s]) => s)
    if (missing.length) {
      throw new InputError(
        'repositories',
        `lacks the slot${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that profile '${opts.profile.name}' needs`,
        `{ ${missing.map((m) => slotExample(m, example)).join(', ')} }`,
      )
    }
  }
}

const ARGOCD_EXAMPLE = { project: 'my-proj', applications: 'nonprod.web, nonprod.worker' }

/** An Argo CD token is checked against the release's project and applications, on its server. */
function checkArgoCdTargets(
  opts: Pick<AuditOptions, 'profile' | 'repositories' | 'argocd' | 'apiUrl'>,
): void {
  if (Object.keys(opts.repositories).length)
    throw new InputError(
      'repositories',
      "is for Git tokens; an Argo CD token's counterpart is 'argocd-project' and 'argocd-applications'",
      '',
    )
  if (!opts.apiUrl)
    throw new InputError(
      'api-url',
      'is required for an Argo CD token: the Argo CD server the token belongs to',
      'https://argocd.example.com',
    )
  if (!opts.argocd?.project)
    throw new InputError(
      'argocd-project',
      `is required for an Argo CD token: the project of the release's applications (profile '${opts.profile.name}')`,
      ARGOCD_EXAMPLE.project,
    )
  if (!opts.argocd.applications.length)
    throw new InputError(
      'argocd-applications',
      `is required for an Argo CD token: the release's applications in project ${opts.argocd.project}`,
      ARGOCD_EXAMPLE.applications,
    )
}

export async function auditToken(opts: AuditOptions, clients: AuditClients): Promise<AuditReport> {
  checkSlots(opts)
  const started = Date.now()
  const now = opts.now ?? new Date()
  const { provider, kind } = opts.identity
  const apiUrl = opts.apiUrl || DEFAULT_API_URLS[provider]
  let found: ProviderFindings
  if (kind === 'refresh') {
    found = {
      findings: [
        {
          kind: 'kind',
          severity: 'error',
          message: 'This is a GitHub App refresh token (ghr_): it cannot call the API.',
          fix: 'Use the user-to-server or installation token minted with it.',
        },
      ],
      repositories: [],
      requests: 0,
      fatal: true,
    }
  } else if (provider === 'github') {
    const repositories = Object.fromEntries(
      Object.entries(opts.repositories).map(([slot, p]) => {
        const [owner, repo] = p.split('/')
        return [slot, { owner, repo }]
      }),
    )
    found = await auditGitHubToken(clients.github(opts.token, apiUrl), {
      kind,
      profile: opts.profile,
      repositories,
      organization: opts.organization,
      onExcess: opts.onExcess,
      probeWrites: opts.probeWrites,
    })
  } else if (provider === 'argocd') {
    found = await auditArgoCdToken({
      server: { url: apiUrl, token: opts.token, source: "input 'api-url'" },
      identity: opts.identity,
      profile: opts.profile,
      project: opts.argocd!.project,
      applications: opts.argocd!.applications,
      onExcess: opts.onExcess,
      now,
      http: opts.argocdHttp,
    })
  } else if (provider === 'gitlab') {
    found = await auditGitLabToken({
      token: opts.token,
      apiUrl,
      profile: opts.profile,
      repositories: opts.repositories,
      onExcess: opts.onExcess,
    })
  } else {
    found = await auditBitbucketToken(
      {
        token: opts.token,
        kind,
        apiUrl,
        profile: opts.profile,
        repositories: opts.repositories,
        onExcess: opts.onExcess,
      },
      now,
    )
  }

  const findings = [...found.findings]
  const expiresAt = found.expiresAt ?? null
  const daysLeft = expiresAt ? Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000) : null
  if (!found.fatal) findings.push(...expiryFindings(opts, kind, found.expiresAt, daysLeft))
  if (opts.name) findings.push(...nameFindings(opts.name, kind, opts.profile))

  const valid = !findings.some((f) => f.severity === 'error')
  const missing = findings.filter((f) => f.kind === 'missing')
  const excess = findings.filter((f) => f.kind === 'excess')
  const errors = findings.filter((f) => f.severity === 'error' && !isUnverifiable(f)).length
  const unknown = findings.filter(isUnverifiable).length
  // What is proven wrong is said as such; only what cannot be read makes it "cannot verify".
  const outcome = valid ? 'fits' : errors ? 'does-not-fit' : 'cannot-verify'
  const unread = `${unknown} thing${unknown > 1 ? 's' : ''} could not be verified`
  const verdict =
    outcome === 'fits'
      ? `fits profile '${opts.profile.name}'${findings.some((f) => f.severity === 'warning') ? ' (with warnings)' : ''}`
      : outcome === 'cannot-verify'
        ? `cannot be verified against profile '${opts.profile.name}': ${unread}`
        : `does not fit profile '${opts.profile.name}': ${errors} problem${errors > 1 ? 's' : ''} (${missing.length} missing, ${excess.filter((f) => f.severity === 'error').length} excess)${unknown ? `; ${unread}` : ''}`
  return {
    valid,
    verdict,
    outcome,
    profile: opts.profile.name,
    provider,
    tokenType: kind,
    login: found.login,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
    expiryKnown: found.expiresAt !== undefined,
    daysLeft,
    scopes: found.scopes,
    repositories: found.repositories,
    missing,
    excess,
    findings,
    requests: found.requests,
    durationMs: Date.now() - started,
    writesProbed: opts.probeWrites && provider === 'github',
  }
}

function expiryFindings(
  opts: AuditOptions,
  kind: string,
  expiresAt: Date | null | undefined,
  daysLeft: number | null,
): Finding[] {
  if (kind === 'installation') {
    return [
      {
        kind: 'expiry',
        severity: 'info',
        message: 'Installation tokens live one hour and are minted per job: nothing to rotate.',
      },
    ]
  }
  if (expiresAt === undefined)
    return [{ kind: 'expiry', severity: 'info', message: 'The expiry could not be read.' }]
  if (expiresAt === null) {
    const argocd = kind.startsWith('argocd-')
    return [
      {
        kind: 'expiry',
        severity: opts.requireExpiry ? 'error' : opts.profile.rotate ? 'warning' : 'info',
        message: `The token never expires${argocd ? " (it has no 'exp' claim)" : ''}${opts.requireExpiry ? ', and require-expiry is set' : ''}.`,
        fix:
          opts.requireExpiry || opts.profile.rotate
            ? argocd
              ? 'Create a token with an expiry (argocd proj role create-token <project> <role> --expires-in 30d) and rotate it.'
              : 'Set an expiration and rotate it; or use a GitHub App, whose tokens live one hour.'
            : undefined,
      },
    ]
  }
  const when = expiresAt.toISOString()
  if (daysLeft! < 0 || expiresAt <= (opts.now ?? new Date())) {
    return [
      {
        kind: 'expiry',
        severity: 'error',
        message: `The token expired on ${when}.`,
        fix: 'Regenerate the token and update where it is stored.',
      },
    ]
  }
  if (daysLeft! < opts.minDaysLeft) {
    return [
      {
        kind: 'expiry',
        severity: 'error',
        message: `The token expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${when}), fewer than min-days-left (${opts.minDaysLeft}).`,
        fix: 'Regenerate it now and update where it is stored.',
      },
    ]
  }
  if (daysLeft! < opts.warnDaysLeft) {
    return [
      {
        kind: 'expiry',
        severity: 'warning',
        message: `The token expires in ${daysLeft} days (${when}).`,
        fix: 'Plan its rotation.',
      },
    ]
  }
  return []
}

const CONVENTION = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/
const CLASSIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The seed's naming convention: `<app>/<actor>/<use-case>`; classic tokens `[A-Za-z_][A-Za-z0-9_]*`. */
export function nameFindings(name: string, kind: string, profile: Profile): Finding[] {
  const out: Finding[] = []
  if (kind === 'classic') {
    if (!CLASSIC_NAME.test(name)) {
      out.push({
        kind: 'name',
        severity: 'warning',
        message: `The name '${name}' does not follow the classic-token rule: letters, digits and underscores, starting with a letter or underscore (e.g. ARGOCD_APP_NOTIFICATIONS).`,
      })
    }
  } else if (!CONVENTION.test(name)) {
    out.push({
      kind: 'name',
      severity: 'warning',
      message: `The name '${name}' does not follow the convention <app>/<actor>/<use-case> (e.g. argocd/github/nonprod).`,
    })
  }
  if (!out.length && profile.tokenNames.length && !profile.tokenNames.includes(name)) {
    out.push({
      kind: 'name',
      severity: 'info',
      message: `Profile '${profile.name}' names its tokens ${profile.tokenNames.join(' or ')}; this one is '${name}'.`,
    })
  }
  return out
}
