import { COMMANDS } from './commands.js'
import type { Io } from './io.js'

export type { Io }

const HELP = `usage: argocd-actions <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`)
  .join('\n')}

Tokens are read from an environment variable or standard input, never from an argument.
Run 'argocd-actions <command> --help' for a command's options.
`

/** Exit codes: 0 fine, 1 the check failed, 2 usage or input error. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h') {
    io.stdout.write(HELP)
    return name ? 0 : 2
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    io.stderr.write(`argocd-actions: unknown command '${name}'\n\n${HELP}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help())
    return 0
  }
  return command.run(rest, io)
}
