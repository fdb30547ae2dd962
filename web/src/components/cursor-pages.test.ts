import { describe, expect, it } from 'vitest';
import { dayAfter, dayStart } from './cursor-pages';

// The ledger's and the audit log's day filter: [from, to) in UTC, "to" including the whole last day.
describe('day range of the paged lists', () => {
  it('a day starts at 00:00 UTC', () => {
    expect(dayStart('2026-11-30')).toBe('2026-11-30T00:00:00Z');
  });

  it('the exclusive end is the next day, across month and year ends and a leap day', () => {
    expect(dayAfter('2026-11-30')).toBe('2026-12-01T00:00:00.000Z');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
    expect(dayAfter('2028-02-28')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('an empty or half-typed date is no filter', () => {
    for (const d of ['', '2026-11', '2026/11/30', '30-11-2026']) {
      expect(dayStart(d)).toBeUndefined();
      expect(dayAfter(d)).toBeUndefined();
    }
  });
});
