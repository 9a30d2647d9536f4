// Tìm kiếm: ranked full-text search over the folded index (migration 0002), with the list's filters.
import type { Database } from '../storage/database.js';
import type { DocumentFilters, SearchHit } from '../../common/contract.js';
import { foldVietnamese } from '../../common/fold.js';
import { filterClause, listDocuments, SUMMARY_COLUMNS, toSummary, type DocumentRow } from './documents.js';

const MAX_TERMS = 12;
/** Counting every hit of a very common word costs more than it tells: past this, the count says "more than". */
const COUNT_CAP = 10_000;
const SNIPPET_RADIUS = 70;

/** Query terms, folded; each is matched as a prefix so that results come as the clerk types. */
export function searchTerms(query: string): string[] {
  const terms = foldVietnamese(query).match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

/** An FTS5 MATCH expression: every term must appear, as a word or the start of one. */
export function matchExpression(terms: string[]): string {
  // Quoting makes each term a literal string, so FTS5 operators typed by the user (AND, NEAR, ") mean nothing.
  return terms.map((t) => `"${t}"*`).join(' ');
}

export function searchDocuments(
  db: Database,
  query: string,
  filters: DocumentFilters,
  offset: number,
  limit: number,
): { total: number; capped: boolean; items: SearchHit[] } {
  const terms = searchTerms(query);
  if (terms.length === 0) {
    const page = listDocuments(db, filters, offset, limit);
    return { total: page.total, capped: false, items: page.items.map((d) => ({ ...d, snippet: null })) };
  }
  const where = filterClause(filters);
  const params = { ...where.params, match: matchExpression(terms), limit, offset, cap: COUNT_CAP };
  const extra = where.sql ? `AND ${where.sql}` : '';
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, t.text AS body
         FROM documents_fts f
         JOIN documents d ON d.id = f.rowid
         LEFT JOIN document_texts t ON t.document_id = d.id
        WHERE documents_fts MATCH @match ${extra}
        ORDER BY f.rank, d.id DESC
        LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Array<DocumentRow & { body: string | null }>;
  const countSql = where.sql
    ? `SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts f JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH @match ${extra} LIMIT @cap)`
    : `SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH @match LIMIT @cap)`;
  const total = offset === 0 && rows.length < limit ? rows.length : (db.prepare(countSql).get(params) as { n: number }).n;
  return { total, capped: total >= COUNT_CAP, items: rows.map((r) => ({ ...toSummary(r), snippet: r.body ? bodySnippet(r.body, terms) : null })) };
}

/** A short passage of the document's text around the first matched term, with its accents. */
export function bodySnippet(text: string, terms: string[]): string | null {
  const folded = foldVietnamese(text);
  let at = -1;
  let length = 0;
  // The longest term tells most about the passage wanted ("treo" rather than "co" in "treo co").
  for (const term of [...terms].sort((a, b) => b.length - a.length)) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u');
    const m = re.exec(folded);
    if (m) {
      (at = m.index), (length = term.length);
      break;
    }
  }
  if (at < 0) return null;
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(text.length, at + length + SNIPPET_RADIUS);
  const passage = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${passage}${end < text.length ? '…' : ''}`;
}
