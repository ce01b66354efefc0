import { renderSummaryMarkdown } from '../src/index.js'

test('renders a heading and an escaped table', () => {
  const md = renderSummaryMarkdown({
    title: 'Commit status set',
    outcome: 'success',
    rows: [
      ['State', 'success'],
      ['Description', 'a | b\nc'],
    ],
    notes: ['shortened'],
  })
  expect(md).toBe(
    '### ✅ Commit status set\n\n| | |\n| --- | --- |\n| State | success |\n| Description | a \\| b c |\n\n> shortened\n',
  )
})

test('a failure has a failure mark', () => {
  expect(renderSummaryMarkdown({ title: 'x', outcome: 'failure', rows: [] })).toMatch(/^### ❌ x/)
})
