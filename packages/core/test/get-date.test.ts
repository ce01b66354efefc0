import { InputError, getDate } from '../src/index.js'

// Date() rolls impossible fields over (2026-02-30 is read as March 2): getDate refuses them.
const read = (value: string) => () => value

test.each([
  '2026-02-30',
  '2026-02-29T10:00:00Z',
  '2026-04-31T10:00',
  '2026-06-31 08:00:00+02:00',
  '2026-00-10',
  '2026-11-00',
  '2026-11-22T24:00:00Z',
  '2026-11-22T10:60:00Z',
  '2026-11-22T10:00:60Z',
])('%s is not a real date', (value) => {
  expect(() => getDate(read(value), 'created-after')).toThrow(InputError)
  expect(() => getDate(read(value), 'created-after')).toThrow(
    `Input 'created-after' is not a real date: '${value}'. Example: created-after: 2026-11-22T10:00:00Z`,
  )
})

test.each([
  ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
  ['2026-01-31T00:00:00-05:00', '2026-01-31T05:00:00.000Z'],
])('%s is', (value, iso) => {
  expect(getDate(read(value), 'd')?.toISOString()).toBe(iso)
})
