// pdf.js for the renderer, set up once: the preview draws a page at a time with it, and "In"
// (printing) draws every page with it, so that both shells print the same way without a PDF plugin.
// The legacy build carries polyfills for built-ins newer than Electron's Chromium (such as
// Map.prototype.getOrInsertComputed), so it works in the app and in older browsers alike.
import * as pdfjsLib from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

pdfjsLib.GlobalWorkerOptions.workerSrc = workerUrl;

export { pdfjsLib };

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

/** A loading task for the PDF's bytes; destroy it when done. */
export function loadPdf(bytes: Uint8Array): PDFDocumentLoadingTask {
  return pdfjsLib.getDocument({ ...DOCUMENT_OPTIONS, data: bytes });
}
