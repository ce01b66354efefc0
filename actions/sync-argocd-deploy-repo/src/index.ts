import { runAction, TOKEN_INPUTS } from '@argocd-actions/core'
import { run } from './main.js'

// The Argo CD token is a token input too: masked first, and refused in every other input.
await runAction('sync-argocd-deploy-repo', run, [...TOKEN_INPUTS, 'argocd-token'])
