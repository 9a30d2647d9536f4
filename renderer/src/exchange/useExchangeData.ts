// Data from the exchange that follows the core: fetched when its inputs change and again after
// exchange.changed or documents.changed. A pass reports its progress at every package, so events
// come in bursts; they are coalesced, and what is shown stays on screen while the next answer
// comes (no flicker back to "loading").
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApiEvent } from '../api/useApiEvent.js';

const COALESCE_MS = 250;

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'failed'; error: unknown };

/** `key` names the inputs `load` depends on: a new key loads again at once. */
export function useExchangeData<T>(key: string, load: () => Promise<T>): { loaded: Loaded<T>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latestLoad = useRef(load);
  useLayoutEffect(() => {
    latestLoad.current = load;
  });
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const schedule = () => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      setGeneration((n) => n + 1);
    }, COALESCE_MS);
  };
  useApiEvent('exchange.changed', schedule);
  useApiEvent('documents.changed', schedule);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  useEffect(() => {
    setLoaded({ status: 'loading' });
  }, [key]);

  useEffect(() => {
    let cancelled = false;
    latestLoad.current().then(
      (data) => !cancelled && setLoaded({ status: 'ready', data }),
      (error: unknown) => !cancelled && setLoaded({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, generation]);

  return { loaded, reload: () => setGeneration((n) => n + 1) };
}
