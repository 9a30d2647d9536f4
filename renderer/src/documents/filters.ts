import { DocumentState as DocumentStateSchema, Priority as PrioritySchema, type DocumentFilters, type DocumentSummary } from '../../../main/common/contract.js';
import { vnYear } from '../../../main/common/dates.js';

export type Direction = DocumentSummary['direction'];
export type DocumentState = DocumentSummary['state'];
export type DocumentTypeCode = DocumentSummary['typeCode'];
export type Priority = DocumentSummary['priority'];

export const DOCUMENT_STATES: readonly DocumentState[] = DocumentStateSchema.options;

/** The states a document of each register passes through, in that order: the Trạng thái filter offers only its register's. */
export const STATES_BY_DIRECTION: Record<Direction, readonly DocumentState[]> = {
  in: ['received', 'registered', 'assigned', 'in_progress', 'done', 'returned', 'recalled'],
  out: ['draft', 'signed', 'numbered', 'sealed', 'queued', 'sent', 'issued', 'recalled', 'updated', 'replaced'],
};
export const PRIORITIES: readonly Priority[] = PrioritySchema.options;

/** What the clerk has chosen in the left column; null means "any". */
export interface RegisterFilters {
  direction: Direction;
  year: number | null;
  typeCode: DocumentTypeCode | null;
  state: DocumentState | null;
  dateFrom: string | null; // yyyy-MM-dd
  dateTo: string | null;
}

/** Registers restart every 1 January (Vietnam time), so the current year's is the one in use. */
export function initialFilters(): RegisterFilters {
  return { direction: 'in', year: vnYear(), typeCode: null, state: null, dateFrom: null, dateTo: null };
}

export function toApiFilters(filters: RegisterFilters): DocumentFilters {
  const api: DocumentFilters = { direction: filters.direction };
  if (filters.year !== null) api.year = filters.year;
  if (filters.typeCode) api.typeCode = filters.typeCode;
  if (filters.state) api.state = filters.state;
  if (filters.dateFrom) api.dateFrom = filters.dateFrom;
  if (filters.dateTo) api.dateTo = filters.dateTo;
  return api;
}

/** The filters of the other register: a state the register has no document in is dropped. */
export function withDirection(filters: RegisterFilters, direction: Direction): RegisterFilters {
  if (filters.direction === direction) return filters;
  return { ...filters, direction, state: filters.state && STATES_BY_DIRECTION[direction].includes(filters.state) ? filters.state : null };
}

/** Whether anything beyond the register and year narrows the list (changes the empty-list message). */
export function hasNarrowingFilters(filters: RegisterFilters): boolean {
  return Boolean(filters.typeCode || filters.state || filters.dateFrom || filters.dateTo);
}

/** The filters a saved search was made with; a search saved without a register keeps the one on screen. */
export function fromApiFilters(filters: DocumentFilters, current: RegisterFilters): RegisterFilters {
  return {
    direction: filters.direction ?? current.direction,
    year: filters.year ?? null,
    typeCode: filters.typeCode ?? null,
    state: filters.state ?? null,
    dateFrom: filters.dateFrom ?? null,
    dateTo: filters.dateTo ?? null,
  };
}
