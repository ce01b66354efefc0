// GET /orgs/{org}/members. GitHub treats the list as a public resource: every caller gets 200,
// and only callers allowed to see concealed members get them (GitHub's Api::OrganizationMembers
// source; a fine-grained PAT without the Members permission was observed getting 200 with the
// public view). Allowed: classic read:org (or write:org/admin:org) by a member (GitHub: "if the
// authenticated user is also a member ... both concealed and public members"); fine-grained org
// permission members=read (only org members can make the org a token's resource owner, so the
// user counts as a member); an installation with members=read.
import { checkOrgPolicies, ownedBy } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS, notFound } from '../errors.js'
import { paginate } from '../pagination.js'
import { simpleUser } from '../render.js'
import type { OrgRecord } from '../store.js'
import { grants, type TokenRecord } from '../tokens.js'

function seesConcealed(ctx: RouteContext, org: OrgRecord, token: TokenRecord | null): boolean {
  if (!token) return false
  const key = org.login.toLowerCase()
  const member = token.login !== undefined && org.members.has(token.login.toLowerCase())
  switch (token.kind) {
    case 'installation':
      return ownedBy(token, org.login) && grants(token.permissions['members'], 'read')
    case 'fine-grained':
      ctx.headers['x-accepted-github-permissions'] = 'members=read'
      // The lifetime policy was observed on public resources too: it still refuses (403).
      checkOrgPolicies(ctx.store, token, org.login, true, DOCS.listMembers)
      return ownedBy(token, org.login) && grants(token.orgPermissions['members'], 'read')
    case 'classic':
      // Org policies hide concealed members instead of refusing: the list is public.
      if (org.forbidsClassicPats) return false
      if (org.ssoRequired && !token.ssoAuthorizedOrgs.has(key)) return false
      return member && token.effectiveScopes.has('read:org')
  }
}

/** GET /orgs/{org}/public_members: the public view, whoever asks. */
export function listPublicMembers(ctx: RouteContext, login: string): Reply {
  return memberList(ctx, login, 'public_members', false)
}

export function listMembers(ctx: RouteContext, login: string): Reply {
  const org = ctx.store.org(login)
  if (!org) throw notFound(DOCS.listMembers)
  const token = ctx.token
  if (token?.kind === 'installation') ctx.headers['x-accepted-github-permissions'] = 'members=read'
  return memberList(ctx, login, 'members', seesConcealed(ctx, org, token))
}

function memberList(ctx: RouteContext, login: string, path: string, all: boolean): Reply {
  const org = ctx.store.org(login)
  if (!org) throw notFound(DOCS.listMembers)
  const logins = [...org.members.entries()]
    .filter(([key]) => all || org.publicMembers.has(key))
    .map(([, display]) => display)
    .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
  const page = paginate(logins, new URL(`${ctx.api}/orgs/${org.login}/${path}${ctx.url.search}`))
  if (page.link) ctx.headers['link'] = page.link
  return {
    status: 200,
    body: page.items.map((l) => simpleUser(ctx.api, ctx.store.account(l))),
  }
}
