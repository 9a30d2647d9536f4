// Xem trước: one page of the document's PDF at a time, drawn by pdf.js in its worker.
import { useEffect, useRef, useState, type RefObject } from 'react';
// The legacy build carries polyfills for built-ins newer than Electron's Chromium (such as
// Map.prototype.getOrInsertComputed), so the preview works in the app and in older browsers alike.
import * as pdfjsLib from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

pdfjsLib.GlobalWorkerOptions.workerSrc = workerUrl;

// Shipped beside the app by the build (see vite.config.ts); absolute because the worker resolves them.
const assets = new URL('./pdfjs/', document.baseURI).href;
const DOCUMENT_OPTIONS = {
  isEvalSupported: false,
  standardFontDataUrl: `${assets}standard_fonts/`,
  cMapUrl: `${assets}cmaps/`,
  cMapPacked: true,
  iccUrl: `${assets}iccs/`,
  wasmUrl: `${assets}wasm/`,
};

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

export function PdfPreview({ documentId }: { documentId: number }) {
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

  useEffect(() => {
    let cancelled = false;
    let task: PDFDocumentLoadingTask | null = null;
    call('documents.content', { id: documentId })
      .then(({ bytes }) => {
        if (cancelled) return null;
        task = pdfjsLib.getDocument({ ...DOCUMENT_OPTIONS, data: bytes });
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
  }, [documentId]);

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
        <div className="pdf-page" ref={pageHost} role="img" aria-label={pdf ? t('preview.page', { page: pageNumber, count: pageCount }) : t('preview.label')} />
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
