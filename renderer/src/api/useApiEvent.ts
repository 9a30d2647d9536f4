import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../main/common/contract.js';
import { onEvent } from './client.js';

/** Calls `handler` for every pushed event of one kind; the latest handler is used without resubscribing. */
export function useApiEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(
    () =>
      onEvent((eventName, payload) => {
        if (eventName === name) latest.current(payload as EventPayload<E>);
      }),
    [name],
  );
}
