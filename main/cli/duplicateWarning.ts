// Trùng văn bản at the terminal (Appendix VI 1h): `import`, `in accept` and `in register` warn on
// standard error (the document was stored: standard output still says what was done, and --json
// carries `duplicates`), `in show` lists them. Each names the other document as a clerk knows it,
// with its #id for `eoffice in link`.
import type { DuplicateCandidate } from '../common/contract.js';
import { formatDateVn } from '../common/dates.js';

const REASON_VI: Record<DuplicateCandidate['reasons'][number], string> = { identifier: 'cùng mã định danh', notation: 'cùng số, ký hiệu và cơ quan ban hành' };

/** "#12 173/KH-UBND ngày 05/03/2026 — Kế hoạch …, số đến 05 (cùng số, ký hiệu và cơ quan ban hành)". */
export function duplicateText(c: DuplicateCandidate): string {
  const why = c.linked ? ['đã liên kết', ...c.reasons.map((r) => REASON_VI[r])] : c.reasons.map((r) => REASON_VI[r]);
  return [
    `#${c.id} ${c.notation ?? '(chưa có số, ký hiệu)'}${c.documentDate ? ` ngày ${formatDateVn(c.documentDate)}` : ''} — ${c.subject}`,
    c.incomingNumber === null ? ', chưa vào sổ' : `, số đến ${String(c.incomingNumber).padStart(2, '0')}`,
    why.length ? ` (${why.join('; ')})` : '',
  ].join('');
}

/** The warning after a document was stored: nothing when no other may be the same document. */
export function warnDuplicates(what: string, id: number, candidates: readonly DuplicateCandidate[]): void {
  const open = candidates.filter((c) => !c.linked);
  if (open.length === 0) return;
  const lines = open.map((c) => `eoffice: warning: ${what} may duplicate ${duplicateText(c)}; link them with: eoffice in link ${id} --to ${c.id}`);
  process.stderr.write(lines.join('\n') + '\n');
}
