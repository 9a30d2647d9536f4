// The document identifier code (mã định danh văn bản, Decree 30 Appendix VI 1c), made one way for
// the register, the books and the edXML's DocumentId: `{OrganId},{yyyy/MM/dd},{Number}/{Notation}`.
import { AppError } from './errors.js';

/** Date given as 'yyyy-MM-dd'. Number is written as given (e.g. '07' or '7': keep the string). */
export function documentIdOf(organId: string, isoDate: string, number: string, notation: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!date) throw new AppError('INVALID_INPUT', `Promulgation date must be yyyy-MM-dd, got ${JSON.stringify(isoDate)}`, { field: 'date' });
  return `${organId},${date[1]}/${date[2]}/${date[3]},${number}/${notation}`;
}

/** "07/QĐ-UBND" → number "07" and notation "QĐ-UBND", as the edXML's Code element splits them. */
export function splitNotation(notation: string, number: string): { number: string; notation: string } {
  const slash = notation.indexOf('/');
  if (slash < 0) return { number, notation };
  return { number: notation.slice(0, slash), notation: notation.slice(slash + 1) };
}

/** The code of a document issued by the agency `organId`. */
export function exchangeIdOf(organId: string, facts: { documentDate: string; notation: string; number: string }): string {
  const code = splitNotation(facts.notation, facts.number);
  return documentIdOf(organId, facts.documentDate, code.number, code.notation);
}
