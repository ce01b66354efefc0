import { InputError } from '../errors.js'
import {
  clip,
  getBoolean,
  getEnum,
  getInteger,
  getString,
  getToken,
  getUrl,
  type InputReader,
} from '../inputs.js'
import type { AuditOptions } from './audit.js'
import type { ExcessPolicy } from './findings.js'
import { identifyToken, type Provider } from './kind.js'
import { resolveProfile } from './profiles.js'
import { parseArgoCdApplications, parseArgoCdProject } from './argocd-inputs.js'
import { parseRepositories } from './repositories-input.js'

const PROVIDERS = ['auto', 'github', 'gitlab', 'bitbucket', 'argocd'] as const
const ON_EXCESS: readonly ExcessPolicy[] = ['fail', 'warn', 'ignore']

/**
 * The inputs of a token audit (the action's and the CLI's), validated before any request.
 */
export async function parseAuditInputs(
  read: InputReader,
  workspace: string,
): Promise<Omit<AuditOptions, 'now'>> {
  const token = getToken(read, 'token')
  const provider = getEnum(read, 'provider', PROVIDERS, 'auto') as Provider | 'auto'
  const identity = identifyToken(token, provider)
  const profile = await resolveProfile({
    profile: read('profile').trim() || undefined,
    requirements: read('requirements').trim() || undefined,
    workspace,
  })
  const repositories = parseRepositories(read('repositories'))
  let organization = getString(read, 'organization') || undefined
  if (organization && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(organization)) {
    throw new InputError(
      'organization',
      `is not a GitHub organization name: '${clip(organization)}'`,
      'my-org',
    )
  }
  if (!organization && Object.keys(profile.github?.organization ?? {}).length) {
    const owners = new Set(Object.values(repositories).map((r) => r.split('/')[0]))
    if (owners.size === 1) organization = [...owners][0]
  }
  const apiUrl = getUrl(read, 'api-url', {
    example:
      identity.provider === 'argocd'
        ? 'https://argocd.example.com'
        : 'https://github.example.com/api/v3',
  })
  const project = parseArgoCdProject(read('argocd-project'))
  const applications = parseArgoCdApplications(read('argocd-applications'))
  const argocd =
    project || applications.length ? { project: project ?? '', applications } : undefined
  const minDaysLeft = getInteger(read, 'min-days-left', { fallback: 7, min: 0, max: 3650 })
  const warnDaysLeft = getInteger(read, 'warn-days-left', { fallback: 30, min: 0, max: 3650 })
  if (warnDaysLeft < minDaysLeft) {
    throw new InputError(
      'warn-days-left',
      `(${warnDaysLeft}) must not be less than min-days-left (${minDaysLeft})`,
      String(Math.max(30, minDaysLeft)),
    )
  }
  return {
    token,
    identity,
    profile,
    repositories,
    organization,
    apiUrl: apiUrl || undefined,
    minDaysLeft,
    warnDaysLeft,
    onExcess: getEnum(read, 'on-excess', ON_EXCESS, 'fail'),
    probeWrites: getBoolean(read, 'probe-writes', false),
    name: getString(read, 'name') || undefined,
    requireExpiry: getBoolean(read, 'require-expiry', false),
    argocd,
  }
}
