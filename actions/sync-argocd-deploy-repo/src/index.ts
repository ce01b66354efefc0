import { runAction } from '@argocd-actions/core'
import { run } from './main.js'

await runAction('sync-argocd-deploy-repo', run)
