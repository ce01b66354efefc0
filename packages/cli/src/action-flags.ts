import { parseArgs } from 'node:util'
import { InputError } from '@argocd-actions/core'
import { ACTION_INPUTS } from './action-flags.generated.js'
import type { Io } from './io.js'

/**
 * A sub-command takes the same inputs as its action, as --flags: the names, descriptions and
 * boolean inputs come from the action's action.yml (generated into action-flags.generated.ts by
 * scripts/cli-flags.js, checked fresh by a test), so the CLI and the action cannot drift apart.
 */
export interface ActionFlags {
  help: string
  read(argv: string[], io: Io): Promise<(name: string) => string>
}

export function actionFlags(action: string, command: string, extraHelp = ''): ActionFlags {
  const inputs = ACTION_INPUTS[action].map((i) => [i.name, i] as const)
  const booleans = new Set(ACTION_INPUTS[action].filter((i) => i.boolean).map((i) => i.name))
  const help = [
    `usage: argocd-actions ${command} [options]    (the token from --token-env NAME, default GITHUB_TOKEN, or stdin)`,
    extraHelp,
    'options (the inputs of the action of the same name):',
    '  --token-env NAME         the environment variable holding the token',
    ...inputs.map(([name, i]) => {
      const d = i.description
      return (
        `  --${name}${booleans.has(name) ? '' : ' VALUE'}`.padEnd(27) +
        (d.length > 90 ? `${d.slice(0, 89)}…` : d)
      )
    }),
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
  return {
    help: `${help}\n`,
    async read(argv, io) {
      const options: Record<string, { type: 'string' | 'boolean' }> = {
        'token-env': { type: 'string' },
      }
      for (const [name] of inputs)
        options[name] = { type: booleans.has(name) ? 'boolean' : 'string' }
      const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
      const token = await readToken(values['token-env'] as string | undefined, io)
      const flags: Record<string, string> = { token }
      for (const [k, v] of Object.entries(values))
        if (k !== 'token-env' && v !== undefined) flags[k] = String(v)
      return (name) => flags[name] ?? ''
    },
  }
}

export async function readToken(envName: string | undefined, io: Io): Promise<string> {
  const names = envName
    ? [envName]
    : ['GITHUB_TOKEN', 'GITLAB_TOKEN', 'BITBUCKET_TOKEN', 'ARGOCD_AUTH_TOKEN']
  for (const name of names) {
    const value = io.env[name]?.trim()
    if (value) return value
  }
  if (envName)
    throw new InputError(
      'token-env',
      `names the variable ${envName}, which is empty or unset`,
      'GITHUB_TOKEN',
    )
  if (io.stdin.isTTY) {
    throw new InputError(
      'token',
      'was not given: set GITHUB_TOKEN (or --token-env NAME), or pipe it on standard input',
      'GITHUB_TOKEN',
    )
  }
  let text = ''
  for await (const chunk of io.stdin) text += chunk
  return text.trim()
}
