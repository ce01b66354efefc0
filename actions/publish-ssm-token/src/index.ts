import { runAction } from '@argocd-actions/core'
import { run } from './main.js'

await runAction('publish-ssm-token', () => run())
