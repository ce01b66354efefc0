// @argocd-actions/sandbox: loopback doubles for tests, the demo and benchmarks. Never bundled.
export { startGitHubSandbox, type GitHubSandboxOptions } from './github/server.js'
export type {
  Access,
  CommitOptions,
  DeployKeyRecord,
  Fault,
  FaultMatch,
  GitHubSandbox,
  GraphqlRequest,
  HookInput,
  HookRecord,
  OrgOptions,
  RecordedRequest,
  RepoModel,
  RepoOptions,
  StatusInput,
  StatusRecord,
  TokenSpec,
} from './github/types.js'
export { expandScopes, formatExpiration, normaliseScopes } from './github/tokens.js'
export { startGitLabSandbox, type GitLabSandboxOptions } from './gitlab/server.js'
export type { GitLabAccessLevel, GitLabSandbox, GitLabTokenSpec } from './gitlab/types.js'
export { startBitbucketSandbox, type BitbucketSandboxOptions } from './bitbucket/server.js'
export type {
  BitbucketCredentialType,
  BitbucketSandbox,
  BitbucketTokenSpec,
} from './bitbucket/types.js'
export { startAwsSandbox } from './aws/server.js'
export type {
  AwsAccountOptions,
  AwsCredentialSpec,
  AwsCredentials,
  AwsFault,
  AwsFaultMatch,
  AwsRecordedRequest,
  AwsRoleOptions,
  AwsSandbox,
  AwsSandboxOptions,
  AwsService,
  ParameterPolicy,
  ParameterTier,
  ParameterType,
  ParameterVersion,
  StoredParameter,
} from './aws/types.js'
export type { SimpleFault } from './loopback.js'
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
// Git smart HTTP, branch protection, pull requests and the Argo CD stand-in (git-backed repos).
export type {
  ArgoCdHandle,
  ArgoCdOptions,
  ArgoCdSync,
  PushEvent,
  PushHandler,
  RejectPushFault,
} from './github/types.js'
// Fault injection in front of any double, and the off-origin listener (test/fault-matrix.test.ts).
export {
  startFaultProxy,
  type FaultProxy,
  type ProxiedRequest,
  type ProxyFault,
} from './fault-proxy.js'
export { startForeignOrigin, type ForeignOrigin } from './foreign-origin.js'
// Argo CD's API server: its tokens, RBAC (casbin) and an application controller (issue 15).
export { startArgoCdSandbox } from './argocd/server.js'
export type {
  ArgoCdAppState,
  ArgoCdOutcome,
  ArgoCdProjectRole,
  ArgoCdRequest,
  ArgoCdSandbox,
  ArgoCdSandboxOptions,
  ArgoCdTokenOptions,
  WatchDeployRepoOptions,
} from './argocd/types.js'
