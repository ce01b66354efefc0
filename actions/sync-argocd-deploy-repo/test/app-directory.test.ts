import { checkAppDirectory, type DirEntry } from '../src/app-directory.js'

// Trees by id: the listing the client would fetch.
const trees: Record<string, DirEntry[]> = {
  root: [
    { name: 'plat', type: 'tree', sha: 'plat' },
    { name: 'config.yaml', type: 'blob', sha: 'b4' },
  ],
  plat: [
    { name: 'use2-dev', type: 'tree', sha: 'cluster' },
    { name: 'config.yaml', type: 'blob', sha: 'b4' },
  ],
  cluster: [
    { name: 'argocd', type: 'tree', sha: 'argocd' },
    { name: 'apps', type: 'tree', sha: 'apps' },
  ],
  argocd: [{ name: 'applicationset.yaml', type: 'blob', sha: 'b1' }],
  apps: [{ name: 'web', type: 'tree', sha: 'web' }],
  web: [{ name: 'app', type: 'tree', sha: 'app' }],
  app: [
    { name: 'config.yaml', type: 'blob', sha: 'b2' },
    { name: 'manifests', type: 'tree', sha: 'manifests' },
  ],
  manifests: [{ name: 'r.yaml', type: 'blob', sha: 'b3' }],
}
const list = async (t: string) => trees[t]
const blobs: Record<string, string> = {
  b2: 'app_repository: acme/app\nname: web.app\n',
  b4: 'tenant: plat\n',
}
const reads: string[] = []
const readText = async (b: string) => (reads.push(b), blobs[b])
const where = { repo: 'acme/deploy', branch: 'main', operation: 'deploy' as const }
const check = (p: string, operation: 'deploy' | 'destroy' = 'deploy') =>
  checkAppDirectory(list, readText, 'root', p.split('/'), { ...where, operation })

test('an app directory and a new directory are fine', async () => {
  await expect(check('plat/use2-dev/apps/web/app')).resolves.toBeUndefined()
  // plat/config.yaml is a tenant's own file, not an app: read once, as it is on the way.
  expect(reads).toEqual(['b4'])
  await expect(check('plat/use2-dev/apps/web/new')).resolves.toBeUndefined()
  await expect(check('plat/use2-prod/apps/web/new')).resolves.toBeUndefined()
})
test('a directory without config.yaml is neither replaced nor destroyed', async () => {
  await expect(check('plat/use2-dev/argocd')).rejects.toThrow(
    'plat/use2-dev/argocd in acme/deploy@main is not an app directory (it has no config.yaml; it holds applicationset.yaml): a release replaces only an app directory',
  )
  await expect(check('plat/use2-dev/apps', 'destroy')).rejects.toThrow(
    'destroy removes only an app directory',
  )
})
test('nothing inside another app', async () => {
  await expect(check('plat/use2-dev/apps/web/app/manifests')).rejects.toThrow(
    'would be inside the app directory plat/use2-dev/apps/web/app',
  )
  await expect(check('plat/use2-dev/apps/web/app/x/y')).rejects.toThrow('would be inside')
})
