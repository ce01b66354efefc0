// @argocd-actions/sandbox: loopback doubles for tests, the demo and benchmarks. Never bundled.
export { startGitHubSandbox, type GitHubSandboxOptions } from './github/server.js'
export type {
  Access,
  CommitOptions,
  Fault,
  GitHubSandbox,
  OrgOptions,
  RecordedRequest,
  RepoModel,
  RepoOptions,
  StatusInput,
  StatusRecord,
  TokenSpec,
} from './github/types.js'
export { expandScopes, formatExpiration, normaliseScopes } from './github/tokens.js'
export {
  inputEnvName,
  leaks,
  node24,
  parseOutputFile,
  repoRoot,
  runBundle,
  secretForms,
  type BundleRun,
  type RunOptions,
} from './runner.js'
