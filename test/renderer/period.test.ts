// The dashboard's period arithmetic (renderer/src/dashboard/period.ts) is plain TypeScript: it is
// tested here under Node, on the calendar's awkward edges (leap years, year ends, short months).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeKind, currentMonth, isIsoDate, periodRange, shiftPeriod, singleYear, type Period } from '../../renderer/src/dashboard/period.js';

test('a month, a quarter and a year cover their calendar days, February of a leap year included', () => {
  assert.deepEqual(periodRange({ kind: 'month', year: 2028, month: 2 }), { from: '2028-02-01', to: '2028-02-29' });
  assert.deepEqual(periodRange({ kind: 'month', year: 2026, month: 2 }), { from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(periodRange({ kind: 'quarter', year: 2026, quarter: 4 }), { from: '2026-10-01', to: '2026-12-31' });
  assert.deepEqual(periodRange({ kind: 'quarter', year: 2026, quarter: 2 }), { from: '2026-04-01', to: '2026-06-30' });
  assert.deepEqual(periodRange({ kind: 'year', year: 2026 }), { from: '2026-01-01', to: '2026-12-31' });
});

test('previous and next cross year ends; a free range moves by its own length', () => {
  assert.deepEqual(shiftPeriod({ kind: 'month', year: 2026, month: 12 }, 1), { kind: 'month', year: 2027, month: 1 });
  assert.deepEqual(shiftPeriod({ kind: 'month', year: 2026, month: 1 }, -1), { kind: 'month', year: 2025, month: 12 });
  assert.deepEqual(shiftPeriod({ kind: 'quarter', year: 2026, quarter: 1 }, -1), { kind: 'quarter', year: 2025, quarter: 4 });
  assert.deepEqual(shiftPeriod({ kind: 'year', year: 2026 }, 1), { kind: 'year', year: 2027 });
  // 10 days, 25/12/2026 … 03/01/2027, across the year end and back.
  const range: Period = { kind: 'range', from: '2026-12-25', to: '2027-01-03' };
  assert.deepEqual(shiftPeriod(range, 1), { kind: 'range', from: '2027-01-04', to: '2027-01-13' });
  assert.deepEqual(shiftPeriod(shiftPeriod(range, 1), -1), range);
});

test('changing the kind keeps the time looked at; a range gives way to the period of its last day', () => {
  const november: Period = { kind: 'month', year: 2026, month: 11 };
  assert.deepEqual(changeKind(november, 'quarter'), { kind: 'quarter', year: 2026, quarter: 4 });
  assert.deepEqual(changeKind(november, 'year'), { kind: 'year', year: 2026 });
  assert.deepEqual(changeKind(november, 'range'), { kind: 'range', from: '2026-11-01', to: '2026-11-30' });
  assert.deepEqual(changeKind({ kind: 'range', from: '2026-12-20', to: '2027-01-10' }, 'month'), { kind: 'month', year: 2027, month: 1 });
});

test('the current month is taken from the day in Vietnam; dates are checked as calendar dates', () => {
  assert.deepEqual(currentMonth('2026-11-26'), { kind: 'month', year: 2026, month: 11 });
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2014-02-30'), false);
  assert.equal(isIsoDate('26/11/2026'), false);
  assert.equal(singleYear({ from: '2026-01-01', to: '2026-12-31' }), 2026);
  assert.equal(singleYear({ from: '2025-12-15', to: '2026-01-15' }), null, 'a register is kept per year');
});
