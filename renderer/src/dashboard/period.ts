// The dashboard's period: a month, a quarter, a year, or any run of days, always as calendar
// days in Vietnam (the core counts figures the same way, see main/common/report.ts).
import { isCalendarDate, vnDate } from '../../../main/common/dates.js';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year', 'range'];

export type Period =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'year'; year: number }
  | { kind: 'range'; from: string; to: string };

export interface DateRange {
  /** yyyy-MM-dd, included */
  from: string;
  /** yyyy-MM-dd, included */
  to: string;
}

const DAY_MS = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function iso(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function toUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  const t = new Date(ms);
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return !!m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** This month in Vietnam: what a clerk opening the app most often reports on. */
export function currentMonth(today: string = vnDate()): Period {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return { kind: 'month', year: y, month: m };
}

export function periodRange(p: Period): DateRange {
  switch (p.kind) {
    case 'month':
      return { from: iso(p.year, p.month, 1), to: iso(p.year, p.month, daysInMonth(p.year, p.month)) };
    case 'quarter': {
      const first = (p.quarter - 1) * 3 + 1;
      return { from: iso(p.year, first, 1), to: iso(p.year, first + 2, daysInMonth(p.year, first + 2)) };
    }
    case 'year':
      return { from: iso(p.year, 1, 1), to: iso(p.year, 12, 31) };
    case 'range':
      return { from: p.from, to: p.to };
  }
}

/** The period before (-1) or after (+1): a free range moves by its own length. */
export function shiftPeriod(p: Period, step: 1 | -1): Period {
  switch (p.kind) {
    case 'month': {
      const index = p.year * 12 + (p.month - 1) + step;
      return { kind: 'month', year: Math.floor(index / 12), month: (index % 12) + 1 };
    }
    case 'quarter': {
      const index = p.year * 4 + (p.quarter - 1) + step;
      return { kind: 'quarter', year: Math.floor(index / 4), quarter: (index % 4) + 1 };
    }
    case 'year':
      return { kind: 'year', year: p.year + step };
    case 'range': {
      const length = toUtc(p.to) - toUtc(p.from) + DAY_MS;
      return { kind: 'range', from: fromUtc(toUtc(p.from) + step * length), to: fromUtc(toUtc(p.to) + step * length) };
    }
  }
}

/**
 * Another kind of period around the same time: a month becomes its quarter or year, and a
 * free range starts as the period being looked at, so switching never jumps elsewhere. A range
 * gives way to the month, quarter or year of its last day, the end a clerk usually reports up to.
 */
export function changeKind(p: Period, kind: PeriodKind): Period {
  const { from, to } = periodRange(p);
  const [y, m] = (p.kind === 'range' ? to : from).split('-').map(Number) as [number, number];
  switch (kind) {
    case 'month':
      return { kind, year: y, month: m };
    case 'quarter':
      return { kind, year: y, quarter: Math.floor((m - 1) / 3) + 1 };
    case 'year':
      return { kind, year: y };
    case 'range':
      return { kind, from, to };
  }
}

/** The year of both ends, or null when the period spans two years (a register is per year). */
export function singleYear({ from, to }: DateRange): number | null {
  const a = Number(from.slice(0, 4));
  return a === Number(to.slice(0, 4)) ? a : null;
}
