// Deploy keys: list (paginated) and create. Permission first (control_access), then the key's own
// validation, as GitHub's handler does: a token without `administration` never sees a 422.
import { authorizeRepo, type Requirement } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS, parseJsonObject, validationFailed } from '../errors.js'
import { paginate } from '../pagination.js'
import { deployKey } from '../render.js'
import type { RepoRecord } from '../store.js'

const ALLOWED = [
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-ed25519',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ssh-ed25519@openssh.com',
]
// Both texts are GitHub's (PublicKey model validations); the API prefixes the field name.
const NOT_OPENSSH = 'key is invalid. You must supply a key in OpenSSH public key format'
const WRONG_ALGORITHM =
  `key is invalid. It must begin with ${ALLOWED.map((a) => `'${a}'`).join(', ')}. ` +
  "Check that you're copying the public half of the key"

const keyRequirement = (access: 'read' | 'write', doc: string): Requirement => ({
  permission: 'administration',
  access,
  privateScopes: ['repo'],
  // Guess: public_repo is enough on public repositories, as for other repo admin endpoints.
  publicScopes: ['public_repo', 'repo'],
  doc,
  acceptedScopesHeader: 'repo',
  notPublic: true,
})

/** 'ssh-ed25519 AAAA... comment' -> algorithm and comment, or an error message. */
export function parsePublicKey(text: string): { algorithm: string; comment?: string } | string {
  const parts = text.trim().split(/\s+/)
  if (parts.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]!)) return NOT_OPENSSH
  const blob = Buffer.from(parts[1]!, 'base64')
  if (blob.length < 4) return NOT_OPENSSH
  const len = blob.readUInt32BE(0)
  if (len === 0 || blob.length < 4 + len) return NOT_OPENSSH
  const inner = blob.subarray(4, 4 + len).toString('latin1')
  if (inner !== parts[0]) return NOT_OPENSSH
  if (!ALLOWED.includes(inner)) return WRONG_ALGORITHM
  const comment = parts.slice(2).join(' ')
  return comment ? { algorithm: inner, comment } : { algorithm: inner }
}

/** GET /repos/{owner}/{repo}/keys */
export function listKeys(ctx: RouteContext, repo: RepoRecord): Reply {
  authorizeRepo(ctx.store, ctx.token, repo, keyRequirement('read', DOCS.listKeys), ctx.headers)
  const page = paginate(
    repo.deployKeys,
    new URL(`${ctx.api}/repositories/${repo.id}/keys${ctx.url.search}`),
  )
  if (page.link) ctx.headers['link'] = page.link
  return { status: 200, body: page.items.map((k) => deployKey(ctx.api, repo, k)) }
}

/** POST /repos/{owner}/{repo}/keys */
export function createKey(ctx: RouteContext, repo: RepoRecord): Reply {
  const doc = DOCS.createKey
  authorizeRepo(ctx.store, ctx.token, repo, keyRequirement('write', doc), ctx.headers)
  const input = parseJsonObject(ctx.body, doc)
  const key = input['key']
  if (typeof key !== 'string' || key.trim() === '')
    throw validationFailed(doc, [{ resource: 'PublicKey', code: 'missing_field', field: 'key' }])
  const parsed = parsePublicKey(key)
  if (typeof parsed === 'string')
    throw validationFailed(doc, [
      { resource: 'PublicKey', code: 'custom', field: 'key', message: parsed },
    ])
  const normalised = key.trim().split(/\s+/).slice(0, 2).join(' ')
  for (const r of ctx.store.repos.values())
    if (r.deployKeys.some((k) => k.key === normalised))
      throw validationFailed(doc, [
        { resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' },
      ])
  const title = input['title']
  const token = ctx.token!
  const record = ctx.store.addDeployKey(repo, {
    key: normalised,
    // GitHub: the title, else the key's comment, else the first 25 characters of the key.
    title:
      typeof title === 'string' && title !== ''
        ? title
        : (parsed.comment ?? normalised.slice(0, 25)),
    readOnly: input['read_only'] === true,
    addedBy: token.kind === 'installation' ? `${token.appSlug}[bot]` : (token.login ?? 'octocat'),
  })
  const body = deployKey(ctx.api, repo, record)
  ctx.headers['location'] = String(body['url'])
  return { status: 201, body }
}
