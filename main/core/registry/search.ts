// Tìm kiếm: ranked full-text search over the folded index (migration 0002), with the list's filters.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { DocumentFilters, DocumentSummary, ListedDocument, SearchHit, SearchSort, SortOrder } from '../../common/contract.js';
import { foldVietnamese } from '../../common/fold.js';
import { filterClause, listDocuments, SUMMARY_COLUMNS, toSummary, type DocumentRow } from './documents.js';

const MAX_TERMS = 12;
/** Counting every hit of a very common word costs more than it tells: past this, the count says "more than". */
const COUNT_CAP = 10_000;
const SNIPPET_RADIUS = 70;

/** Query terms, folded and without repeats. */
export function searchTerms(query: string): string[] {
  const terms = foldVietnamese(query).match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

/**
 * An FTS5 MATCH expression: every term must appear. The last term is matched as the start of a
 * word, since the clerk may still be typing it; the others are whole words. A one-letter prefix
 * would match a large part of the registry and tell nothing, so it is matched as a word.
 */
export function matchExpression(terms: string[]): string {
  // Quoting makes each term a literal string, so FTS5 operators typed by the user (AND, NEAR, ") mean nothing.
  return terms.map((t, i) => (isPrefixTerm(terms, i) ? `"${t}"*` : `"${t}"`)).join(' ');
}

function isPrefixTerm(terms: string[], index: number): boolean {
  return index === terms.length - 1 && terms[index]!.length >= 2;
}

/**
 * How many of the newest matches are ranked. Ranking every match of a common word ("ubnd" hits
 * most of a register) costs hundreds of milliseconds; the newest five hundred are what a clerk looks
 * for, and a query with fewer matches is ranked in full.
 */
const RANKED_CANDIDATES = 500;

/**
 * Where a term is found says how much the hit means: in the trích yếu most, then the notation,
 * then the author or signer; a term found only elsewhere (the PDF's text, its attachments, the
 * handler, recipients or notes) counts least. The weights are
 * summed over the terms; ties go to the newer document.
 */
const WEIGHTS = { subject: 10, notation: 8, person: 3, body: 1 } as const;

/** Whether `term` starts a word of `folded` (and ends one, unless it may be a prefix). */
function wordMatcher(term: string, prefix: boolean): RegExp {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}${prefix ? '' : '(?![\\p{L}\\p{N}])'}`, 'u');
}

function rankCandidates(db: Database, ids: number[], terms: string[]): number[] {
  const matchers = terms.map((t, i) => wordMatcher(t, isPrefixTerm(terms, i)));
  const rows = prepared(db, 'SELECT id, subject, notation, author_agency, signer_name, incoming_number, exchange_id FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
    id: number;
    subject: string;
    notation: string | null;
    author_agency: string;
    signer_name: string;
    incoming_number: number | null;
    exchange_id: string | null;
  }[];
  const scored = rows.map((r) => {
    const subject = foldVietnamese(r.subject);
    // The số đến and the identifier code name the document as its notation does.
    const notation = foldVietnamese(`${r.notation ?? ''} ${r.incoming_number ?? ''} ${r.exchange_id ?? ''}`);
    const person = foldVietnamese(`${r.author_agency} ${r.signer_name}`);
    let score = 0;
    for (const m of matchers) {
      score += m.test(subject) ? WEIGHTS.subject : m.test(notation) ? WEIGHTS.notation : m.test(person) ? WEIGHTS.person : WEIGHTS.body;
    }
    return { id: r.id, score };
  });
  scored.sort((a, b) => b.score - a.score || b.id - a.id);
  return scored.map((s) => s.id);
}

/** The order asked for (Appendix VI 6g). */
export interface ResultOrder {
  sort: SearchSort;
  order: SortOrder;
}

/**
 * ORDER BY on the alias `d`. By date: the document's own, else the day it was registered (as the
 * filters read it). By number: the document's số. By deadline: an incoming document's hạn giải
 * quyết once assigned, else the deadline the document bears. What has no value comes last either
 * way; ties go to the newer document. Relevance, without a query, is the list's order: newest first.
 */
export function orderClause({ sort, order }: ResultOrder): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const value = { relevance: null, date: 'coalesce(d.document_date, substr(d.registered_at, 1, 10))', number: 'd.number', due: 'coalesce(d.handling_due, d.due_date)' }[sort];
  if (value === null) return `d.registered_at ${dir}, d.id ${dir}`;
  return `${value} IS NULL, ${value} ${dir}, d.id ${dir}`;
}

const NEWEST_FIRST: ResultOrder = { sort: 'relevance', order: 'desc' };

/** The list (no query) in the order asked for, with the fields a clerk may choose to show. */
export function listResults(db: Database, filters: DocumentFilters, offset: number, limit: number, order: ResultOrder = NEWEST_FIRST): { total: number; items: ListedDocument[] } {
  const page = listDocuments(db, filters, offset, limit, orderClause(order));
  return { total: page.total, items: withListedFields(db, page.items) };
}

/** The fields beyond the summary that a result may show (searchColumns.ts), for one page at once. */
export function withListedFields<T extends DocumentSummary>(db: Database, items: T[]): Array<T & Omit<ListedDocument, keyof DocumentSummary>> {
  if (items.length === 0) return [];
  const rows = prepared(
    db,
    `SELECT d.id, d.incoming_number, h.name AS handler_name, coalesce(d.handling_due, d.due_date) AS due,
            (SELECT json_group_array(name) FROM (SELECT r.name FROM document_recipients r WHERE r.document_id = d.id ORDER BY r.position)) AS recipients
       FROM documents d LEFT JOIN handlers h ON h.id = d.handler_id
      WHERE d.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(items.map((d) => d.id))) as { id: number; incoming_number: number | null; handler_name: string | null; due: string | null; recipients: string }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map((d) => {
    const r = byId.get(d.id);
    return {
      ...d,
      incomingNumber: r?.incoming_number ?? null,
      handlerName: r?.handler_name ?? null,
      dueDate: r?.due ?? null,
      recipients: r ? (JSON.parse(r.recipients) as string[]) : [],
    };
  });
}

export function searchDocuments(
  db: Database,
  query: string,
  filters: DocumentFilters,
  offset: number,
  limit: number,
  order: ResultOrder = NEWEST_FIRST,
  options: { snippets?: boolean } = {},
): { total: number; capped: boolean; items: SearchHit[] } {
  const terms = searchTerms(query);
  if (terms.length === 0) {
    const page = listResults(db, filters, offset, limit, order);
    return { total: page.total, capped: false, items: page.items.map((d) => ({ ...d, snippet: null })) };
  }
  const where = filterClause(filters);
  const sorted = order.sort !== 'relevance';
  const join = where.sql || sorted ? 'JOIN documents d ON d.id = f.rowid' : '';
  const extra = where.sql ? `AND ${where.sql}` : '';
  const params = { ...where.params, match: matchExpression(terms) };
  const countMatches = () =>
    (prepared(db, `SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts f ${join} WHERE documents_fts MATCH @match ${extra} LIMIT ${COUNT_CAP})`).get(params) as { n: number }).n;

  let ids: number[];
  let total: number;
  if (sorted) {
    ids = (
      prepared(db, `SELECT f.rowid AS id FROM documents_fts f ${join} WHERE documents_fts MATCH @match ${extra} ORDER BY ${orderClause(order)} LIMIT @limit OFFSET @offset`).all({
        ...params,
        limit,
        offset,
      }) as { id: number }[]
    ).map((r) => r.id);
    total = countMatches();
  } else {
    // Newest first is the order FTS5 walks its index in. One walk gives the newest matches, up to
    // the count's cap: the first 500 are ranked, the rest follow newest first, and their number is
    // the total — walking the index a second time to count cost as much as this walk (issue 20).
    const matches = prepared(db, `SELECT f.rowid AS id FROM documents_fts f ${join} WHERE documents_fts MATCH @match ${extra} ORDER BY f.rowid DESC LIMIT ${COUNT_CAP}`)
      .pluck()
      .all(params) as number[];
    const candidates = rankCandidates(db, matches.slice(0, RANKED_CANDIDATES), terms);
    // Relevance asked for the other way round: the least relevant first.
    if (order.order === 'asc') candidates.reverse();
    ids = candidates.concat(matches.slice(RANKED_CANDIDATES)).slice(offset, offset + limit);
    total = matches.length;
  }

  // The document's text is read only for the snippets: an export of thousands of rows needs none.
  const snippets = options.snippets ?? true;
  const rows = ids.length
    ? (prepared(
        db,
        `SELECT ${SUMMARY_COLUMNS}, ${snippets ? 't.text' : 'NULL'} AS body FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id WHERE d.id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(ids)) as Array<DocumentRow & { body: string | null }>)
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.map((id) => byId.get(id)).filter((r): r is DocumentRow & { body: string | null } => r !== undefined);
  const hits = items.map((r) => ({ ...toSummary(r), snippet: r.body ? bodySnippet(r.body, terms) : null }));
  return { total, capped: total >= COUNT_CAP, items: withListedFields(db, hits) };
}

/** A short passage of the document's text around the first matched term, with its accents. */
export function bodySnippet(text: string, terms: string[]): string | null {
  const folded = foldVietnamese(text);
  let at = -1;
  let length = 0;
  // The longest term tells most about the passage wanted ("treo" rather than "co" in "treo co").
  for (const term of [...terms].sort((a, b) => b.length - a.length)) {
    const m = wordMatcher(term, true).exec(folded);
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
