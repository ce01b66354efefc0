/** What a sub-command may touch: the process's environment, streams and directory, passed in. */
export interface Io {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: { write(s: string): unknown }
  stderr: { write(s: string): unknown }
  cwd: string
}
