import { COMMAND_NAMES, runCommand } from './commands.js'
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
  publish    validate a token, then store it in AWS SSM (as publish-ssm-token)
  sync       write a release into the deploy repository (as sync-argocd-deploy-repo)
  status     set a commit status, or wait for one (as set-commit-status)

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
  if (COMMAND_NAMES.includes(command)) return (await runCommand(command, rest, io))!
  io.stderr.write(`argocd-actions: unknown command '${command}'\n\n${HELP}`)
  return 2
}
