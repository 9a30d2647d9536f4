import fs from 'node:fs';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { searchDocuments, searchTerms, bodySnippet } from '../../main/core/registry/search.js';
import { SUMMARY_COLUMNS, toSummary, type DocumentRow } from '../../main/core/registry/documents.js';
import { buildQueries } from './registry.js';
import { percentile } from './stats.js';
const db = openDatabase('/tmp/exp/db.sqlite');
const notations = JSON.parse(fs.readFileSync('/tmp/exp/notations.json', 'utf8')) as string[];
const queries = buildQueries(notations);
const cache = new Map<string, any>();
const prep = (sql: string) => { let s = cache.get(sql); if (!s) { s = db.prepare(sql); cache.set(sql, s); } return s; };

function expr(terms: string[], mode: string): string {
  if (mode === 'lastprefix') return terms.map((t, i) => (i === terms.length - 1 && t.length >= 2 ? `"${t}"*` : `"${t}"`)).join(' ');
  return terms.map((t) => `"${t}"*`).join(' ');
}
// B: rank inside FTS only, join the page afterwards
function variantB(q: string, mode = 'all') {
  const terms = searchTerms(q);
  const match = expr(terms, mode);
  const rows = prep(`SELECT ${SUMMARY_COLUMNS}, t.text AS body FROM (SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH @match ORDER BY rank LIMIT @limit OFFSET @offset) f
     JOIN documents d ON d.id = f.rowid LEFT JOIN document_texts t ON t.document_id = d.id ORDER BY f.rank, d.id DESC`).all({ match, limit: 50, offset: 0 }) as any[];
  const total = rows.length < 50 ? rows.length : (prep(`SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH @match LIMIT 10000)`).get({ match }) as any).n;
  return { total, items: rows.map((r) => ({ ...toSummary(r), snippet: r.body ? bodySnippet(r.body, terms) : null })) };
}
// C: rank among the newest WINDOW matches only
function variantC(q: string, mode = 'all', WINDOW = 2000) {
  const terms = searchTerms(q);
  const match = expr(terms, mode);
  const cut = prep(`SELECT rowid FROM documents_fts WHERE documents_fts MATCH @match ORDER BY rowid DESC LIMIT 1 OFFSET @w`).get({ match, w: WINDOW - 1 }) as { rowid: number } | undefined;
  const rows = prep(`SELECT ${SUMMARY_COLUMNS}, t.text AS body FROM (SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH @match AND rowid >= @cut ORDER BY rank LIMIT @limit OFFSET @offset) f
     JOIN documents d ON d.id = f.rowid LEFT JOIN document_texts t ON t.document_id = d.id ORDER BY f.rank, d.id DESC`).all({ match, cut: cut?.rowid ?? 0, limit: 50, offset: 0 }) as any[];
  const total = !cut ? rows.length : (prep(`SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH @match LIMIT 10000)`).get({ match }) as any).n;
  return { total, items: rows.map((r) => ({ ...toSummary(r), snippet: r.body ? bodySnippet(r.body, terms) : null })) };
}
const variants: Record<string, (q: string) => { total: number }> = {
  current: (q) => searchDocuments(db, q, {}, 0, 50),
  B_subquery: (q) => variantB(q),
  B_lastprefix: (q) => variantB(q, 'lastprefix'),
  C_window2000: (q) => variantC(q),
  C_window2000_lastprefix: (q) => variantC(q, 'lastprefix'),
  C_window5000_lastprefix: (q) => variantC(q, 'lastprefix', 5000),
};
const only = process.argv.slice(2);
for (const [name, fn] of Object.entries(variants)) {
  if (only.length && !only.includes(name)) continue;
  for (const q of ['hop', 'van ban', 'Sở Y tế']) fn(q);
  const s: Array<[number, string, number]> = [];
  for (const { q } of queries) { const t = performance.now(); const r = fn(q); s.push([performance.now() - t, q, r.total]); }
  const ms = s.map((x) => x[0]);
  console.log(name.padEnd(26), 'p50', percentile(ms, 50).toFixed(1), 'p95', percentile(ms, 95).toFixed(1), 'p99', percentile(ms, 99).toFixed(1), 'max', Math.max(...ms).toFixed(1), ' rss', Math.round(process.resourceUsage().maxRSS / 1024));
  if (process.env.SLOW) for (const x of s.sort((a, b) => b[0] - a[0]).slice(0, 8)) console.log('   ', x[0].toFixed(1), x[2], JSON.stringify(x[1]));
}
