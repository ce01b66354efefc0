import { parseArgs } from 'node:util'
import { InputError, errorMessage, isUserError } from '@argocd-actions/core'
import { renderAuditText } from '@argocd-actions/core/tokens'
import { validateToken } from '@argocd-actions/validate-pat-scopes'
import { readToken } from './action-flags.js'
import type { Io } from './io.js'

export const VALIDATE_HELP = `usage: argocd-actions validate --profile NAME|FILE [options] < token
       TOKEN_VAR=... argocd-actions validate --token-env TOKEN_VAR --profile NAME [options]

The token comes from the variable named by --token-env (default: GITHUB_TOKEN, then GITLAB_TOKEN,
then BITBUCKET_TOKEN, then ARGOCD_AUTH_TOKEN), or from standard input when that is not a terminal.
Never from an argument.

options:
  --profile NAME|FILE      built-in profile or YAML file (or --requirements YAML)
  --requirements YAML      inline profile
  --repositories YAML      slot map, e.g. '{ deploy: my-org/argocd-deploy-non-prod }'
  --organization ORG       organization whose permissions to check
  --provider P             auto (default), github, gitlab, bitbucket, argocd
  --api-url URL            GHES, GitLab self-managed or Bitbucket API base URL; the Argo CD server
  --argocd-project NAME    Argo CD token: the project of the release's applications
  --argocd-applications L  Argo CD token: the release's applications, e.g. 'nonprod.web,nonprod.api'
  --require-expiry         a token that never expires fails (default: a warning)
  --min-days-left N        fail when it expires sooner (default 7)
  --warn-days-left N       warn when it expires sooner (default 30)
  --on-excess P            fail (default), warn, ignore
  --probe-writes           also probe write permissions (invalid write requests; nothing changes)
  --name NAME              the token's name, checked against the naming convention
  --json                   print the JSON report instead of the table

exit status: 0 the token fits, 1 it does not, 2 usage or input error
`

const OPTIONS = {
  'token-env': { type: 'string' },
  profile: { type: 'string' },
  requirements: { type: 'string' },
  repositories: { type: 'string' },
  organization: { type: 'string' },
  provider: { type: 'string' },
  'api-url': { type: 'string' },
  'min-days-left': { type: 'string' },
  'warn-days-left': { type: 'string' },
  'on-excess': { type: 'string' },
  'probe-writes': { type: 'boolean' },
  'argocd-project': { type: 'string' },
  'argocd-applications': { type: 'string' },
  'require-expiry': { type: 'boolean' },
  name: { type: 'string' },
  json: { type: 'boolean' },
} as const

export async function validate(argv: string[], io: Io): Promise<number> {
  if (argv.some((a) => a === '--token' || a.startsWith('--token='))) {
    io.stderr.write(
      'argocd-actions: a token on the command line ends up in shell history and process lists; pass it through --token-env or standard input\n',
    )
    return 2
  }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    io.stderr.write(`argocd-actions validate: ${errorMessage(error)}\n\n${VALIDATE_HELP}`)
    return 2
  }
  try {
    const token = await readToken(values['token-env'] as string | undefined, io)
    const flags: Record<string, string> = { token }
    for (const [k, v] of Object.entries(values)) if (typeof v === 'string') flags[k] = v
    for (const flag of ['probe-writes', 'require-expiry']) if (values[flag]) flags[flag] = 'true'
    const report = await validateToken((name) => flags[name] ?? '', {
      workspace: io.cwd,
      userAgent: 'argocd-actions-cli',
      log: { debug: () => {}, info: () => {}, warn: (m) => io.stderr.write(`${m}\n`) },
    })
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderAuditText(report))
    return report.valid ? 0 : 1
  } catch (error) {
    const message =
      error instanceof InputError
        ? error.message.replace(/^Input '([^']+)'/, '--$1')
        : errorMessage(error)
    io.stderr.write(`argocd-actions validate: ${message}\n`)
    return isUserError(error) ? 2 : 1
  }
}
