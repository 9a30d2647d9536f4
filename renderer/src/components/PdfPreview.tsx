// Xem trước: one page of the document's PDF at a time, drawn by pdf.js in its worker. It is also
// where the clerk says where a signature goes: in placement mode a click (or a drag) on the page
// becomes a rectangle in PDF points, converted through the page's own viewport so that the zoom,
// the page's view box and its rotation are all accounted for.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import type { PageViewport, PDFDocumentLoadingTask, PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import type { PdfRect, SignaturePlacement } from '../signing/placement.js';
import { loadPdf, pdfjsLib } from './pdfDocument.js';

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];
const FRAME_PADDING = 12;

/** The frame's inner width, settled: a splitter drag should not re-render the page 60 times a second. */
function useSettledWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let measured = false;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.floor(entry?.contentRect.width ?? 0);
      clearTimeout(timer);
      if (measured) timer = setTimeout(() => setWidth(next), 120);
      else setWidth(next); // the first measurement decides the first render: no waiting
      measured = true;
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [ref]);
  return width;
}

/** Placement mode, driven by the signing form. */
export interface PlacementControl {
  active: boolean;
  value: SignaturePlacement | null;
  /** The box a plain click places, in points. */
  size: readonly [width: number, height: number];
  label: string;
  onChange(value: SignaturePlacement): void;
  /** Placement is over (a box was placed, or Escape). */
  onDone(): void;
}

/**
 * `sha256` picks one of the document's files (a version, an attachment: documents.files); without
 * it, the current file. Placement (signing, marking the number's place) is for the current file.
 */
export function PdfPreview({ documentId, sha256, placement }: { documentId: number; sha256?: string; placement?: PlacementControl }) {
  const { t } = useI18n();
  const frame = useRef<HTMLDivElement>(null);
  const pageHost = useRef<HTMLDivElement>(null);
  const width = useSettledWidth(frame);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [failed, setFailed] = useState(false);
  const [pageNumber, setPageNumber] = useState(1);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [shownScale, setShownScale] = useState<number | null>(null);
  const [rendering, setRendering] = useState(true);
  const [rendered, setRendered] = useState(false);
  const [shown, setShown] = useState<{ page: number; viewport: PageViewport } | null>(null);

  useEffect(() => {
    let cancelled = false;
    let task: PDFDocumentLoadingTask | null = null;
    call('documents.content', sha256 ? { id: documentId, sha256 } : { id: documentId })
      .then(({ bytes }) => {
        if (cancelled) return null;
        task = loadPdf(bytes);
        return task.promise;
      })
      .then((loaded) => {
        if (!cancelled && loaded) setPdf(loaded);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      void task?.destroy();
    };
  }, [documentId, sha256]);

  // Only "fit width" depends on the frame's width; a fixed zoom ignores resizes.
  const fitWidth = zoom === 'fit' ? width : null;

  useEffect(() => {
    if (!pdf || fitWidth === 0) return;
    let cancelled = false;
    let task: RenderTask | null = null;
    setRendering(true);
    (async () => {
      const page = await pdf.getPage(pageNumber);
      if (cancelled) return;
      const natural = page.getViewport({ scale: 1 });
      const scale = fitWidth === null ? (zoom as number) : Math.max(0.25, (fitWidth - 2 * FRAME_PADDING) / natural.width);
      const viewport = page.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      // A fresh canvas, swapped in when finished: the previous page stays visible meanwhile.
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      task = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      await task.promise;
      if (cancelled) return;
      pageHost.current?.replaceChildren(canvas);
      setShown({ page: pageNumber, viewport });
      setShownScale(scale);
      setRendering(false);
      setRendered(true);
    })().catch((error: unknown) => {
      if (!cancelled && !(error instanceof pdfjsLib.RenderingCancelledException)) {
        setFailed(true);
        setRendering(false);
      }
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber, zoom, fitWidth]);

  const pageCount = pdf?.numPages ?? 0;
  const current = shownScale ?? 1;
  const zoomIn = ZOOM_STEPS.find((s) => s > current + 0.01);
  const zoomOut = [...ZOOM_STEPS].reverse().find((s) => s < current - 0.01);

  return (
    <div
      className="pdf-preview"
      data-testid="pdf-preview"
      data-rendered={rendered ? 'true' : 'false'}
      data-file={sha256 ?? 'current'}
      data-page-count={pdf ? pageCount : undefined}
      aria-label={t('preview.label')}
      role="region"
    >
      <div className="pdf-toolbar">
        <button type="button" className="icon-button" onClick={() => setPageNumber((n) => n - 1)} disabled={!pdf || pageNumber <= 1} aria-label={t('preview.previous')} title={t('preview.previous')}>
          ‹
        </button>
        <span className="pdf-page-label" aria-live="polite">
          {pdf ? t('preview.page', { page: pageNumber, count: pageCount }) : ''}
        </span>
        <button type="button" className="icon-button" onClick={() => setPageNumber((n) => n + 1)} disabled={!pdf || pageNumber >= pageCount} aria-label={t('preview.next')} title={t('preview.next')}>
          ›
        </button>
        <span className="toolbar-gap" />
        <button type="button" className="icon-button" onClick={() => zoomOut && setZoom(zoomOut)} disabled={!pdf || !zoomOut} aria-label={t('preview.zoomOut')} title={t('preview.zoomOut')}>
          −
        </button>
        <span className="pdf-zoom-label">{shownScale === null ? '' : t('preview.zoom', { percent: Math.round(shownScale * 100) })}</span>
        <button type="button" className="icon-button" onClick={() => zoomIn && setZoom(zoomIn)} disabled={!pdf || !zoomIn} aria-label={t('preview.zoomIn')} title={t('preview.zoomIn')}>
          +
        </button>
        <button type="button" className="button button-quiet button-small" onClick={() => setZoom('fit')} disabled={!pdf || zoom === 'fit'} aria-pressed={zoom === 'fit'}>
          {t('preview.fitWidth')}
        </button>
      </div>
      <div className="pdf-frame" ref={frame} aria-busy={rendering && !failed}>
        <div className="pdf-page">
          <div ref={pageHost} role="img" aria-label={pdf ? t('preview.page', { page: pageNumber, count: pageCount }) : t('preview.label')} />
          {placement && shown && !rendering && <PlacementLayer control={placement} page={shown.page} viewport={shown.viewport} />}
        </div>
        {failed ? (
          <p className="pdf-message is-error" role="alert">
            {t('preview.failed')}
          </p>
        ) : (
          rendering && (
            <div className="pdf-spinner" role="status">
              <span className="spinner" aria-hidden="true" />
              <span>{t('preview.rendering')}</span>
            </div>
          )
        )}
      </div>
    </div>
  );
}

const round = (n: number) => Math.round(n * 10) / 10;
/** A drag shorter than this (CSS pixels) is a click. */
const CLICK_TOLERANCE = 4;
const NUDGE_POINTS = 2;
const NUDGE_POINTS_FAST = 10;

type Point = [x: number, y: number];

/** The page's box in PDF points: [xMin, yMin, xMax, yMax]. */
function pageBox(viewport: PageViewport): [number, number, number, number] {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = viewport.viewBox;
  return [x0, y0, x1, y1];
}

/** Keeps a rectangle of its own size inside the page. */
function clampToPage(rect: PdfRect, viewport: PageViewport): PdfRect {
  const [x0, y0, x1, y1] = pageBox(viewport);
  const [x, y, w, h] = rect;
  return [round(Math.min(Math.max(x, x0), x1 - w)), round(Math.min(Math.max(y, y0), y1 - h)), w, h];
}

/** Two corners in CSS pixels on the page → [x, y, width, height] in PDF points, y from the bottom. */
function toPdfRect(viewport: PageViewport, a: Point, b: Point): PdfRect {
  const [ax = 0, ay = 0] = viewport.convertToPdfPoint(a[0], a[1]) as number[];
  const [bx = 0, by = 0] = viewport.convertToPdfPoint(b[0], b[1]) as number[];
  return [round(Math.min(ax, bx)), round(Math.min(ay, by)), round(Math.abs(bx - ax)), round(Math.abs(by - ay))];
}

function toCssBox(viewport: PageViewport, rect: PdfRect): { left: number; top: number; width: number; height: number } {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = viewport.convertToViewportRectangle([rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]]) as number[];
  return { left: Math.min(x1, x2), top: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

function PlacementLayer({ control, page, viewport }: { control: PlacementControl; page: number; viewport: PageViewport }) {
  const { t } = useI18n();
  const [drag, setDrag] = useState<{ from: Point; to: Point } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const value = control.value?.page === page ? control.value : null;
  // Entering placement mode gives the page the keyboard, scrolled into view only as far as needed.
  useEffect(() => {
    const target = control.active ? (box.current ?? layer.current) : null;
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ block: 'nearest' });
  }, [control.active]);
  if (!control.active && !value) return null;

  function at(event: PointerEvent<HTMLDivElement>): Point {
    const bounds = event.currentTarget.getBoundingClientRect();
    return [event.clientX - bounds.left, event.clientY - bounds.top];
  }

  function placeAround(center: Point) {
    const [cx = 0, cy = 0] = viewport.convertToPdfPoint(center[0], center[1]) as number[];
    const [w, h] = control.size;
    place(clampToPage([cx - w / 2, cy - h / 2, w, h], viewport));
  }

  function place(rect: PdfRect) {
    control.onChange({ page, rect });
    control.onDone();
    // Focus follows the box, so the arrow keys can move it on at once.
    requestAnimationFrame(() => box.current?.focus({ preventScroll: true }));
  }

  function finish(event: PointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const to = at(event);
    setDrag(null);
    const moved = Math.hypot(to[0] - drag.from[0], to[1] - drag.from[1]);
    if (moved < CLICK_TOLERANCE) return placeAround(drag.from);
    const rect = toPdfRect(viewport, drag.from, to);
    if (rect[2] < 1 || rect[3] < 1) return placeAround(drag.from);
    place(clampToPage(rect, viewport));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      control.onDone();
      return;
    }
    if (!value && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      placeAround([viewport.width / 2, viewport.height / 2]);
      return;
    }
    const step = event.shiftKey ? NUDGE_POINTS_FAST : NUDGE_POINTS;
    const moves: Record<string, Point> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[event.key];
    if (!value || !move) return;
    event.preventDefault();
    const [x, y, w, h] = value.rect;
    control.onChange({ page, rect: clampToPage([x + move[0], y + move[1], w, h], viewport) });
  }

  const drawn = drag ? toCssBox(viewport, toPdfRect(viewport, drag.from, drag.to)) : value ? toCssBox(viewport, value.rect) : null;
  return (
    <div
      ref={layer}
      className={control.active ? 'placement-layer is-active' : 'placement-layer'}
      data-testid="placement-layer"
      style={{ width: Math.floor(viewport.width), height: Math.floor(viewport.height) }}
      tabIndex={control.active && !value ? 0 : -1}
      role={control.active ? 'application' : undefined}
      aria-label={control.active ? t('placement.layerLabel') : undefined}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        if (!control.active || event.button !== 0) return;
        event.preventDefault();
        event.currentTarget.setPointerCapture(event.pointerId);
        const point = at(event);
        setDrag({ from: point, to: point });
      }}
      onPointerMove={(event) => drag && setDrag({ from: drag.from, to: at(event) })}
      onPointerUp={finish}
      onPointerCancel={() => setDrag(null)}
    >
      {drawn && (
        <div
          ref={box}
          className="placement-box"
          data-testid="placement-box"
          style={drawn}
          tabIndex={value ? 0 : -1}
          role={value ? 'img' : undefined}
          aria-label={value ? t('placement.boxLabel', { label: control.label, page, x: value.rect[0], y: value.rect[1] }) : undefined}
          onKeyDown={onKeyDown}
        >
          <span className="placement-box-label">{control.label}</span>
        </div>
      )}
    </div>
  );
}
