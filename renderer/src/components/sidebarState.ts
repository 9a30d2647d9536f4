// Whether the sidebar (registers, filters, tokens) is folded away, leaving its width to the list
// and the views — on a commune's 1024-pixel laptop the clerk may want every pixel. The choice is
// kept for the next start; in a browser tab without storage it lasts the session.
import { useCallback, useState } from 'react';

const KEY = 'eoffice.sidebarCollapsed';

function stored(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function useSidebarCollapsed(): [boolean, (collapsed: boolean) => void] {
  const [collapsed, setCollapsed] = useState(stored);
  const set = useCallback((next: boolean) => {
    setCollapsed(next);
    try {
      window.localStorage.setItem(KEY, next ? '1' : '0');
    } catch {
      // Storage refused (a private window): the choice holds until the page closes.
    }
  }, []);
  return [collapsed, set];
}
