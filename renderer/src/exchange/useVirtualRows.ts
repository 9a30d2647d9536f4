// Table rows rendered only where the clerk looks: a queue left offline for a week, or the year's
// received packages, runs to a thousand rows. The table keeps its real <tr>s (screen readers and
// sticky headers work as usual) with one spacer row above and one below the rows in view.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

export function useVirtualRows(count: number, scrollRef: RefObject<HTMLElement | null>, estimatedHeight: number) {
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimatedHeight,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  return {
    items,
    measure: virtualizer.measureElement,
    paddingTop: items[0]?.start ?? 0,
    paddingBottom: Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)),
  };
}
