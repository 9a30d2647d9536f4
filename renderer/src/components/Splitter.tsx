import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

const KEY_STEP = 32;
const PANE_WIDTH_KEY = 'eoffice.paneWidth';
const PANE_MIN = 360;
const PANE_DEFAULT_MAX = 560;
/** The sidebar (--sidebar-width in styles.css) and the narrowest list still worth reading. */
const SIDEBAR_AND_LIST_MIN = 216 + 520;

/** The document pane's width: the clerk's own if they dragged the splitter, else under a third of the window. */
export function usePaneWidth() {
  const [width, setWidthState] = useState(() => {
    const saved = Number(localStorage.getItem(PANE_WIDTH_KEY));
    if (Number.isFinite(saved) && saved >= PANE_MIN) return saved;
    return Math.round(Math.min(PANE_DEFAULT_MAX, Math.max(PANE_MIN, window.innerWidth * 0.3)));
  });
  const setWidth = useCallback((next: number) => {
    setWidthState(next);
    localStorage.setItem(PANE_WIDTH_KEY, String(next));
  }, []);
  return { width, setWidth, min: PANE_MIN, max: Math.max(PANE_MIN, window.innerWidth - SIDEBAR_AND_LIST_MIN) };
}

/** The bar between the list and the document pane; drag it, or focus it and use ← →. */
export function Splitter({ width, min, max, label, onChange }: { width: number; min: number; max: number; label: string; onChange: (width: number) => void }) {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(max, Math.max(min, w)));

  function onKeyDown(event: KeyboardEvent) {
    // The pane is on the right: moving the bar left widens it.
    const delta = { ArrowLeft: KEY_STEP, ArrowRight: -KEY_STEP }[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    onChange(clamp(width + delta));
  }

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(e: PointerEvent<HTMLDivElement>) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { startX: e.clientX, startWidth: width };
      }}
      onPointerMove={(e) => {
        if (drag.current) onChange(clamp(drag.current.startWidth - (e.clientX - drag.current.startX)));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
    />
  );
}
