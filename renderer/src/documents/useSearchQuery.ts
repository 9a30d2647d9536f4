import { useEffect, useState } from 'react';

/** Results follow typing, but only once the clerk pauses: a search per keystroke would queue up. */
const DEBOUNCE_MS = 150;

/** The text in the search box and, trailing it, the query actually searched for. */
export function useSearchQuery(): { text: string; setText: (text: string) => void; query: string } {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const trimmed = text.trim();
    // Clearing the box shows the whole register at once.
    if (trimmed === '') return setQuery('');
    const timer = setTimeout(() => setQuery(trimmed), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return { text, setText, query };
}
