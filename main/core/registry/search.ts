// Tìm kiếm: ranked full-text search over the folded index (migration 0002), with the list's filters.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { DocumentFilters, SearchHit } from '../../common/contract.js';
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
 * then the author or signer; a term found only in the PDF's text counts least. The weights are
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
  const rows = prepared(db, 'SELECT id, subject, notation, author_agency, signer_name FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
    id: number;
    subject: string;
    notation: string | null;
    author_agency: string;
    signer_name: string;
  }[];
  const scored = rows.map((r) => {
    const subject = foldVietnamese(r.subject);
    const notation = foldVietnamese(r.notation ?? '');
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
  const join = where.sql ? 'JOIN documents d ON d.id = f.rowid' : '';
  const extra = where.sql ? `AND ${where.sql}` : '';
  const params = { ...where.params, match: matchExpression(terms) };

  // Newest first is the order FTS5 walks its index in, so this stops after the first 500 matches.
  const newest = (
    prepared(db, `SELECT f.rowid AS id FROM documents_fts f ${join} WHERE documents_fts MATCH @match ${extra} ORDER BY f.rowid DESC LIMIT ${RANKED_CANDIDATES}`).all(params) as {
      id: number;
    }[]
  ).map((r) => r.id);
  const moreThanRanked = newest.length === RANKED_CANDIDATES;
  const oldestCandidate = newest.at(-1) ?? 0;
  const candidates = rankCandidates(db, newest, terms);

  let ids = candidates.slice(offset, offset + limit);
  if (moreThanRanked && offset + limit > RANKED_CANDIDATES) {
    // Past the ranked head the other matches follow, newest first.
    const restOffset = Math.max(0, offset - RANKED_CANDIDATES);
    const restLimit = offset + limit - Math.max(offset, RANKED_CANDIDATES);
    const rest = prepared(
      db,
      `SELECT f.rowid AS id FROM documents_fts f ${join}
        WHERE documents_fts MATCH @match ${extra} AND f.rowid < @oldest
        ORDER BY f.rowid DESC LIMIT @restLimit OFFSET @restOffset`,
    ).all({ ...params, oldest: oldestCandidate, restLimit, restOffset }) as { id: number }[];
    ids = ids.concat(rest.map((r) => r.id));
  }

  const total = moreThanRanked
    ? (
        prepared(db, `SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts f ${join} WHERE documents_fts MATCH @match ${extra} LIMIT ${COUNT_CAP})`).get(params) as {
          n: number;
        }
      ).n
    : candidates.length;

  const rows = ids.length
    ? (prepared(db, `SELECT ${SUMMARY_COLUMNS}, t.text AS body FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id WHERE d.id IN (SELECT value FROM json_each(?))`).all(
        JSON.stringify(ids),
      ) as Array<DocumentRow & { body: string | null }>)
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.map((id) => byId.get(id)).filter((r): r is DocumentRow & { body: string | null } => r !== undefined);
  return { total, capped: total >= COUNT_CAP, items: items.map((r) => ({ ...toSummary(r), snippet: r.body ? bodySnippet(r.body, terms) : null })) };
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
