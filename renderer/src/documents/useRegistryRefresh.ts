import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiEvent } from '../api/useApiEvent.js';

/** A burst of changes (a CLI import of a whole folder) refreshes the views once, not per document. */
const COALESCE_MS = 150;

/**
 * A token that changes whenever the registry changed underneath the views: on the host's
 * documents.changed event, or when this window changed it itself (`refresh`).
 */
export function useRegistryRefresh(): { refreshToken: number; refresh: () => void } {
  const [refreshToken, setRefreshToken] = useState(0);
  const refresh = useCallback(() => setRefreshToken((n) => n + 1), []);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useApiEvent('documents.changed', () => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      refresh();
    }, COALESCE_MS);
  });
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);
  return { refreshToken, refresh };
}
