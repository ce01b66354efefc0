// Maps method + path to a handler. Anything unknown is GitHub's plain 404.
import type { Reply, RouteContext } from './context.js'
import { DOCS, notFound } from './errors.js'
import { serveGraphql } from './graphql/endpoint.js'
import { getCommit } from './routes/commits.js'
import { getContent } from './routes/contents.js'
import { createHook, listHooks } from './routes/hooks.js'
import { listInstallationRepos } from './routes/installation.js'
import { createKey, listKeys } from './routes/keys.js'
import { listMembers, listPublicMembers } from './routes/orgs.js'
import { createPull, getPull, listPulls, mergePull } from './routes/pulls.js'
import { createRef, updateRef } from './routes/refs.js'
import { getRepository } from './routes/repos.js'
import { getRoot } from './routes/root.js'
import { combinedStatus, createStatus, listStatuses } from './routes/statuses.js'
import { getAuthenticatedUser, listUserRepos } from './routes/user.js'
import type { RepoRecord } from './store.js'

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function route(ctx: RouteContext): Reply | Promise<Reply> {
  const { method } = ctx
  const pathname =
    ctx.url.pathname.length > 1 ? ctx.url.pathname.replace(/\/+$/, '') : ctx.url.pathname

  if (pathname === '/' && method === 'GET') return getRoot(ctx)
  if (pathname === '/graphql' && method === 'POST') return serveGraphql(ctx)
  if (pathname === '/user' && method === 'GET') return getAuthenticatedUser(ctx)
  if (pathname === '/user/repos' && method === 'GET') return listUserRepos(ctx)
  if (pathname === '/installation/repositories' && method === 'GET')
    return listInstallationRepos(ctx)
  const members = /^\/orgs\/([^/]+)\/members$/.exec(pathname)
  if (members && method === 'GET') return listMembers(ctx, decode(members[1]!))
  const publicMembers = /^\/orgs\/([^/]+)\/public_members$/.exec(pathname)
  if (publicMembers && method === 'GET') return listPublicMembers(ctx, decode(publicMembers[1]!))

  // /repos/{owner}/{repo}/... and GitHub's id form /repositories/{id}/... (used in Link headers).
  let repo: RepoRecord | undefined
  let rest: string
  const byName = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname)
  const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(pathname)
  if (byName) {
    repo = ctx.store.repo(`${decode(byName[1]!)}/${decode(byName[2]!)}`)
    rest = byName[3] ?? ''
  } else if (byId) {
    repo = ctx.store.repoById(Number(byId[1]))
    rest = byId[2] ?? ''
  } else {
    throw notFound()
  }

  const handler = repoHandler(method, rest)
  if (!handler) throw notFound()
  if (!repo) throw notFound(handler.doc)
  return handler.run(ctx, repo)
}

interface RepoHandler {
  doc: string
  run(ctx: RouteContext, repo: RepoRecord): Reply
}

function repoHandler(method: string, rest: string): RepoHandler | undefined {
  if (rest === '' && method === 'GET') return { doc: DOCS.getRepo, run: getRepository }
  if (rest === '/hooks' && method === 'GET') return { doc: DOCS.listHooks, run: listHooks }
  if (rest === '/hooks' && method === 'POST') return { doc: DOCS.createHook, run: createHook }
  if (rest === '/keys' && method === 'GET') return { doc: DOCS.listKeys, run: listKeys }
  if (rest === '/keys' && method === 'POST') return { doc: DOCS.createKey, run: createKey }
  if (rest === '/git/refs' && method === 'POST') return { doc: DOCS.createRef, run: createRef }
  // Octokit sends {ref} encoded (heads%2Fmain); GitHub takes both spellings.
  const ref = /^\/git\/refs\/(.+)$/.exec(rest)
  if (ref && method === 'PATCH')
    return {
      doc: DOCS.updateRef,
      run: (ctx, repo) => updateRef(ctx, repo, decodeURIComponent(ref[1]!)),
    }
  if (rest === '/pulls' && method === 'GET') return { doc: DOCS.listPulls, run: listPulls }
  if (rest === '/pulls' && method === 'POST') return { doc: DOCS.createPull, run: createPull }
  const pull = /^\/pulls\/(\d+)(\/merge)?$/.exec(rest)
  if (pull && !pull[2] && method === 'GET') {
    const n = Number(pull[1])
    return { doc: DOCS.getPull, run: (ctx, repo) => getPull(ctx, repo, n) }
  }
  if (pull && pull[2] && method === 'PUT') {
    const n = Number(pull[1])
    return { doc: DOCS.mergePull, run: (ctx, repo) => mergePull(ctx, repo, n) }
  }

  // /contents, /contents/ (the pathname lost its trailing slash) and /contents/{path}.
  const contents = /^\/contents(?:\/(.*))?$/.exec(rest)
  if (contents && method === 'GET') {
    const path = (contents[1] ?? '').split('/').map(decode).join('/')
    return { doc: DOCS.getContent, run: (ctx, repo) => getContent(ctx, repo, path) }
  }

  const status = /^\/statuses\/([^/]+)$/.exec(rest)
  if (status && method === 'POST') {
    const sha = decode(status[1]!)
    return { doc: DOCS.createStatus, run: (ctx, repo) => createStatus(ctx, repo, sha) }
  }

  // {ref} may itself contain slashes (feature/x, heads/main), so match the suffix.
  const commits = /^\/commits\/(.+?)(\/statuses|\/status)?$/.exec(rest)
  if (commits && method === 'GET') {
    const rawRef = commits[1]!
    const ref = decode(rawRef)
    switch (commits[2]) {
      case '/statuses':
        return { doc: DOCS.listStatuses, run: (ctx, repo) => listStatuses(ctx, repo, ref, rawRef) }
      case '/status':
        return {
          doc: DOCS.combinedStatus,
          run: (ctx, repo) => combinedStatus(ctx, repo, ref, rawRef),
        }
      default:
        return { doc: DOCS.getCommit, run: (ctx, repo) => getCommit(ctx, repo, ref) }
    }
  }
  return undefined
}
