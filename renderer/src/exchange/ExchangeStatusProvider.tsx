// The exchange's state for the whole window: the header's indicator, the sidebar's link and the
// exchange view all read one copy, loaded once at start and kept current by exchange.changed.
// It also tells the core when the OS's network comes or goes: in Electron the main process has
// no event for that, and the renderer's window 'online'/'offline' events are where it surfaces.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ExchangeStatus } from '../../../main/common/contract.js';
import { allowedHere, call } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';

/** null until the first answer (or if the core could not give one). */
const ExchangeStatusContext = createContext<ExchangeStatus | null>(null);

export function ExchangeStatusProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<ExchangeStatus | null>(null);

  useApiEvent('exchange.changed', setStatus);

  useEffect(() => {
    let cancelled = false;
    // An event may have arrived first; the answer is no older than it, so it simply wins.
    call('exchange.status', {}).then(
      (first) => !cancelled && setStatus(first),
      () => undefined,
    );
    // A browser on the office host does not speak for the host's network.
    if (!allowedHere('exchange.networkChanged')) {
      return () => {
        cancelled = true;
      };
    }
    const forward = (online: boolean) =>
      call('exchange.networkChanged', { online }).then(
        (next) => !cancelled && setStatus(next),
        () => undefined,
      );
    const onOnline = () => void forward(true);
    const onOffline = () => void forward(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    // The core assumes a network until told otherwise; coming back online needs no word at start,
    // since the core's own first pass finds out.
    if (!navigator.onLine) void forward(false);
    return () => {
      cancelled = true;
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, []);

  return <ExchangeStatusContext.Provider value={status}>{children}</ExchangeStatusContext.Provider>;
}

export function useExchangeStatus(): ExchangeStatus | null {
  return useContext(ExchangeStatusContext);
}
