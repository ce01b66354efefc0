import { validate, VALIDATE_HELP } from './validate.js'

export interface Io {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: { write(s: string): unknown }
  stderr: { write(s: string): unknown }
  cwd: string
}

const HELP = `usage: argocd-actions <command> [options]

commands:
  validate   check a token against a role profile (as the validate-pat-scopes action)

Tokens are read from an environment variable or standard input, never from an argument.
Run 'argocd-actions <command> --help' for a command's options.
`

/** Exit codes: 0 fine, 1 the check failed, 2 usage or input error. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h') {
    io.stdout.write(HELP)
    return command ? 0 : 2
  }
  if (command === 'validate') {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(VALIDATE_HELP)
      return 0
    }
    return validate(rest, io)
  }
  io.stderr.write(`argocd-actions: unknown command '${command}'\n\n${HELP}`)
  return 2
}
