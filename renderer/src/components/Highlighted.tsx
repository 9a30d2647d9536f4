import { Fragment, type ReactNode } from 'react';
import { foldVietnamese } from '../../../main/common/fold.js';

/** The folded words of a query, as the registry's search matches them (prefixes, accents ignored). */
export function queryTerms(query: string): string[] {
  return [...new Set(foldVietnamese(query).match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/**
 * Marks where the query's words start words of `text`, accents ignored, so a clerk who typed
 * "quyet dinh" sees "Quyết định" marked. Folding keeps UTF-16 positions, so the marks line up.
 */
export function Highlighted({ text, terms }: { text: string; terms: readonly string[] }) {
  if (terms.length === 0) return <>{text}</>;
  const original = text.normalize('NFC');
  const folded = foldVietnamese(original);
  const marked = new Uint8Array(original.length);
  for (const term of terms) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of folded.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}`, 'gu'))) marked.fill(1, m.index, m.index + term.length);
  }
  const parts: ReactNode[] = [];
  let start = 0;
  for (let i = 1; i <= original.length; i++) {
    if (i < original.length && marked[i] === marked[start]) continue;
    const piece = original.slice(start, i);
    parts.push(marked[start] ? <mark key={start}>{piece}</mark> : <Fragment key={start}>{piece}</Fragment>);
    start = i;
  }
  return <>{parts}</>;
}
