// GitHub's page-number pagination: per_page (default 30, max 100), page (default 1), and a Link
// header such as `<url?page=2>; rel="next", <url?page=5>; rel="last"`.

export interface Page<T> {
  items: T[]
  /** Undefined when everything fits on one page, as GitHub omits the header then. */
  link: string | undefined
}

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null) return fallback
  const n = Number.parseInt(raw, 10)
  return Number.isFinite(n) && n >= 1 ? n : fallback
}

/**
 * `linkBase` is the absolute URL the client asked for (path + query); page links keep its query
 * and replace `page`, in GitHub's order: prev, next, last, first.
 */
export function paginate<T>(all: T[], linkBase: URL): Page<T> {
  const perPage = Math.min(positiveInt(linkBase.searchParams.get('per_page'), 30), 100)
  const page = positiveInt(linkBase.searchParams.get('page'), 1)
  const lastPage = Math.max(1, Math.ceil(all.length / perPage))
  const items = all.slice((page - 1) * perPage, page * perPage)

  const at = (n: number): string => {
    const u = new URL(linkBase.href)
    u.searchParams.set('page', String(n))
    return u.href
  }
  const rels: string[] = []
  if (page > 1) rels.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`)
  if (page < lastPage) rels.push(`<${at(page + 1)}>; rel="next"`, `<${at(lastPage)}>; rel="last"`)
  if (page > 1) rels.push(`<${at(1)}>; rel="first"`)
  return { items, link: rels.length > 0 ? rels.join(', ') : undefined }
}
