import { runBundle, startArgoCdSandbox, type ArgoCdSandbox } from '@argocd-actions/sandbox'
import { demoArgoCdTokenAudit } from '../../scripts/demo-argocd-tokens.js'

// The Argo CD token audit of `npm start` (scripts/demo-argocd-tokens.ts): its outcome.
let argocd: ArgoCdSandbox
beforeAll(async () => {
  argocd = await startArgoCdSandbox()
})
afterAll(() => argocd.stop())

test('the project token fits argocd-ci-sync; the admin account token is refused as over-broad', async () => {
  const titles: string[] = []
  const audit = await demoArgoCdTokenAudit(argocd, (s) => titles.push(s.title), {
    project: 'web',
    applications: ['web.web-app'],
  })
  expect(audit.ok).toBe(true)
  expect(titles).toEqual(audit.steps.map((s) => s.title))
  const [fits, broad] = audit.steps.map((s) => s.run)
  expect(fits.code).toBe(0)
  expect(fits.outputs['token-type']).toBe('argocd-project')
  expect(fits.summary).toContain("✅ Token fits profile 'argocd-ci-sync'")
  expect(broad.code).toBe(1)
  expect(broad.outputs['token-type']).toBe('argocd-account')
  expect(JSON.parse(broad.outputs.excess).length).toBeGreaterThan(20)
  expect(broad.summary).toMatch(/broader than a project role's token/)
  expect(broad.summary).toMatch(/never expires/)
  // The token it returns is the role's, for the release to wait with.
  expect(
    JSON.parse(Buffer.from(audit.projectToken.split('.')[1], 'base64url').toString()).sub,
  ).toBe('proj:web:ci')
}, 120_000)

test("with the caller's project, token and step runner (as scripts/demo-argocd.ts has them)", async () => {
  argocd.addProject('shop', {
    roles: [
      {
        name: 'ci',
        policies: ['get', 'sync'].map(
          (a) => `p, proj:shop:ci, applications, ${a}, shop/shop.api, allow`,
        ),
      },
    ],
  })
  const token = argocd.projectToken('shop', 'ci', { expiresInSeconds: 30 * 86_400 })
  const ran: string[] = []
  const audit = await demoArgoCdTokenAudit(argocd, undefined, {
    project: 'shop',
    applications: ['shop.api'],
    projectToken: token,
    policy: 'g, someone, role:readonly',
    step: async (title, action, inputs) => {
      ran.push(`${action}: ${title}`)
      return runBundle(action, inputs)
    },
  })
  expect(audit.ok).toBe(true)
  expect(audit.projectToken).toBe(token)
  expect(ran).toHaveLength(2)
  expect(ran.every((r) => r.startsWith('validate-pat-scopes: '))).toBe(true)
}, 120_000)
