import { runAction } from '@argocd-actions/core'
import { run } from './main.js'

await runAction('validate-pat-scopes', run)
