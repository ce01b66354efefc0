import { isObject } from '@argocd-actions/core'

/** A pull request as this action reads it: its number and page. */
export interface PullRef {
  number: number
  html_url: string
}

export const isPull = (data: unknown): data is PullRef =>
  isObject(data) &&
  Number.isSafeInteger(data.number) &&
  (data.number as number) > 0 &&
  typeof data.html_url === 'string' &&
  /^https?:\/\//.test(data.html_url)
