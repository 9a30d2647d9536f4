// Report data that follows the core: loaded when the period (or list page) changes and again
// after documents.changed / exchange.changed, but only while the dashboard is on screen; a
// dashboard hidden behind another view catches up once when it comes back.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApiEvent } from '../api/useApiEvent.js';

// A pass reports progress at every package; a burst of events makes one reload, not dozens.
const COALESCE_MS = 300;

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T; refreshing: boolean } | { status: 'failed'; error: unknown };

export function useReportData<T>(key: string, active: boolean, load: () => Promise<T>): { loaded: Loaded<T>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latestLoad = useRef(load);
  useLayoutEffect(() => {
    latestLoad.current = load;
  });
  const stale = useRef(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const activeRef = useRef(active);
  activeRef.current = active;

  const onChanged = () => {
    if (!activeRef.current) {
      stale.current = true;
      return;
    }
    pending.current ??= setTimeout(() => {
      pending.current = null;
      setGeneration((n) => n + 1);
    }, COALESCE_MS);
  };
  useApiEvent('documents.changed', onChanged);
  useApiEvent('exchange.changed', onChanged);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  useEffect(() => {
    if (active && stale.current) {
      stale.current = false;
      setGeneration((n) => n + 1);
    }
  }, [active]);

  // Another period: what was shown belongs to the old one, so it goes at once.
  useEffect(() => {
    setLoaded({ status: 'loading' });
  }, [key]);

  useEffect(() => {
    let cancelled = false;
    // The same period again (after an event): the old figures stay while the new ones come.
    setLoaded((previous) => (previous.status === 'ready' ? { ...previous, refreshing: true } : previous));
    latestLoad.current().then(
      (data) => !cancelled && setLoaded({ status: 'ready', data, refreshing: false }),
      (error: unknown) => !cancelled && setLoaded({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, generation]);

  return { loaded, reload: () => setGeneration((n) => n + 1) };
}
