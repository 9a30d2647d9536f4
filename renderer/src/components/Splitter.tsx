import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

const KEY_STEP = 32;
const PANE_WIDTH_KEY = 'eoffice.paneWidth';
const PANE_MIN = 360;
/** The sidebar (--sidebar-width in styles.css) and the narrowest list still worth reading. */
const SIDEBAR_AND_LIST_MIN = 216 + 520;
/** The document pane holds the preview a clerk reads: by default it takes what the list can spare, up to this share of the window. */
const PANE_DEFAULT_SHARE = 0.45;

/** The document pane's width: the clerk's own if they dragged the splitter, else what the list can spare. */
export function usePaneWidth() {
  const [width, setWidthState] = useState(() => {
    const saved = Number(localStorage.getItem(PANE_WIDTH_KEY));
    if (Number.isFinite(saved) && saved >= PANE_MIN) return saved;
    return Math.round(Math.max(PANE_MIN, Math.min(window.innerWidth * PANE_DEFAULT_SHARE, window.innerWidth - SIDEBAR_AND_LIST_MIN)));
  });
  const setWidth = useCallback((next: number) => {
    setWidthState(next);
    localStorage.setItem(PANE_WIDTH_KEY, String(next));
  }, []);
  return { width, setWidth, min: PANE_MIN, max: Math.max(PANE_MIN, window.innerWidth - SIDEBAR_AND_LIST_MIN) };
}

interface SplitterProps {
  /** The size of the part the splitter resizes, in pixels. */
  width: number;
  min: number;
  max: number;
  label: string;
  onChange: (width: number) => void;
  /** A vertical bar between columns (the default), or a horizontal one between rows. */
  orientation?: 'vertical' | 'horizontal';
  /** Which part `width` measures: the one after the bar (right, below; the default) or before it. */
  sizes?: 'after' | 'before';
}

/** A bar between two parts; drag it, or focus it and use the arrow keys. */
export function Splitter({ width, min, max, label, onChange, orientation = 'vertical', sizes = 'after' }: SplitterProps) {
  const drag = useRef<{ start: number; startWidth: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(max, Math.max(min, w)));
  // Moving the bar towards the part measured shrinks it.
  const sign = sizes === 'after' ? -1 : 1;
  const along = (e: { clientX: number; clientY: number }) => (orientation === 'vertical' ? e.clientX : e.clientY);

  function onKeyDown(event: KeyboardEvent) {
    const keys: Record<string, number> = orientation === 'vertical' ? { ArrowLeft: -1, ArrowRight: 1 } : { ArrowUp: -1, ArrowDown: 1 };
    const direction = keys[event.key];
    if (direction === undefined) return;
    event.preventDefault();
    onChange(clamp(width + sign * direction * KEY_STEP));
  }

  return (
    <div
      className={orientation === 'vertical' ? 'splitter' : 'splitter is-horizontal'}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(e: PointerEvent<HTMLDivElement>) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { start: along(e), startWidth: width };
      }}
      onPointerMove={(e) => {
        if (drag.current) onChange(clamp(drag.current.startWidth + sign * (along(e) - drag.current.start)));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
    />
  );
}
