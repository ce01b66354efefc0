import * as core from '@actions/core'
import { redactMasked } from './secrets.js'

/** A job summary as a person reads it at a glance: a heading, a two-column table, notes. */
export interface SummaryContent {
  title: string
  outcome: 'success' | 'failure'
  rows: Array<[string, string]>
  notes?: string[]
}

export function renderSummaryMarkdown(content: SummaryContent): string {
  const icon = content.outcome === 'success' ? '✅' : '❌'
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const lines = [
    `### ${icon} ${content.title}`,
    '',
    '| | |',
    '| --- | --- |',
    ...content.rows.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`),
  ]
  if (content.notes?.length) lines.push('', ...content.notes.map((n) => `> ${n}`))
  return `${lines.join('\n')}\n`
}

let written = false

/** Whether this run has written its summary yet (runAction writes one for early failures). */
export function summaryWritten(): boolean {
  return written
}

/** Writes the summary when the runner provides a summary file; silently skips otherwise. */
export async function writeSummary(content: SummaryContent): Promise<void> {
  await writeSummaryMarkdown(renderSummaryMarkdown(content))
}

/** For actions whose summary is more than one table; scrubbed of masked secrets like the rest. */
export async function writeSummaryMarkdown(markdown: string): Promise<void> {
  written = true
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(redactMasked(markdown), true).write()
}
