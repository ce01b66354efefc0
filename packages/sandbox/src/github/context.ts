// What a route handler gets, and what it gives back.
import type { Store } from './store.js'
import type { TokenRecord } from './tokens.js'

export interface RouteContext {
  method: string
  /** Absolute URL of the request (sandbox base + path + query). */
  url: URL
  body: string
  store: Store
  /** REST API base, e.g. http://127.0.0.1:54321 */
  api: string
  /** The authenticated token; null when anonymous. */
  token: TokenRecord | null
  /** Extra response headers, sent on success and on error alike (e.g. X-Accepted-*). */
  headers: Record<string, string>
}

export interface Reply {
  status: number
  body: unknown
}
