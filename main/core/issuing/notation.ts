// Số và ký hiệu văn bản (Decree 30/2020, Appendix I): how a number, its notation and the date
// line are written. Pure functions, shared by numbering, the register book and the UI.
import { documentType } from '../../common/doctypes.js';
import { AppError } from '../../common/errors.js';

/** Numbers below 10 carry a leading zero: 01 … 09, then 10, 11 … */
export function formatNumber(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export interface NotationParts {
  number: number;
  typeCode: string;
  agencyAbbreviation: string;
  /** The drafting unit's abbreviation (e.g. VP); optional except that a công văn usually has one. */
  unit?: string;
}

/**
 * `{number}/{type}-{agency}[-{unit}]`, e.g. 123/QĐ-UBND; a công văn has no type abbreviation —
 * `05/UBND-VP` — and is never written "CV".
 */
export function outgoingNotation(parts: NotationParts): string {
  const type = documentType(parts.typeCode);
  if (!type) throw new AppError('INVALID_INPUT', `"${parts.typeCode}" is not a document type of Decree 30, Appendix III.`, { field: 'typeCode' });
  const agency = parts.agencyAbbreviation.trim();
  if (!agency) throw new AppError('AGENCY_NOT_CONFIGURED', "The agency's abbreviation is not set: it is part of every notation.");
  const unit = parts.unit?.trim();
  const tail = [type.abbreviation, agency, unit].filter(Boolean).join('-');
  return `${formatNumber(parts.number)}/${tail}`;
}

/**
 * The date as Decree 30 prints it: "ngày 05 tháng 02 năm 2026", "ngày 26 tháng 11 năm 2026".
 * Days below 10 and the months January and February take a leading zero; the other months do not.
 */
export function vietnameseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/**
 * The text a number or date field receives. A found field lies over the whole printed line and
 * rewrites it; a marked one lies over the blank the clerk marked — the blank before the printed
 * "/QĐ-UBND", or the date line — and gets the bare number or the date.
 */
export function fieldText(kind: 'number' | 'date', origin: 'found' | 'marked', facts: { number: number; notation: string; date: string; prefix: string }): string {
  if (kind === 'number') return origin === 'found' ? `Số: ${facts.notation}` : formatNumber(facts.number);
  const date = vietnameseDate(facts.date);
  return origin === 'found' && facts.prefix ? `${facts.prefix}, ${date}` : date;
}
