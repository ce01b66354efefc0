// Token auditing: imported as '@argocd-actions/core/tokens' by the actions that need it.
export * from './audit.js'
export * from './findings.js'
export * from './kind.js'
export * from './profile-schema.js'
export * from './profiles.js'
export * from './scopes.js'
export * from './report.js'
export * from './repositories-input.js'
