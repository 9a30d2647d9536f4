// "In": the PDF printed through the shell's own print dialog. Every page is drawn by pdf.js into an
// image, the images are put in a container that is all the page shows when printed, and
// window.print() opens the dialog — the same in the desktop app (which has no PDF plug-in) and in a
// browser, and nothing of the app's screen gets on the paper.
import { loadPdf } from '../components/pdfDocument.js';
import './files.css';

/** Pixels per PDF point: 2 gives 144 dpi, sharp on paper without holding a huge canvas per page. */
const PRINT_SCALE = 2;
/** If the print dialog is not modal (some browsers), the images are kept this long at most. */
const CLEANUP_AFTER_MS = 10 * 60_000;

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the page could not be drawn'))), 'image/png'));
}

export async function printPdf(bytes: Uint8Array): Promise<void> {
  const task = loadPdf(bytes);
  const urls: string[] = [];
  const container = document.createElement('div');
  container.className = 'print-pages';
  container.dataset.testid = 'print-pages';
  let handedToPrint = false;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    container.remove();
    document.body.classList.remove('is-printing');
    urls.forEach((url) => URL.revokeObjectURL(url));
    void task.destroy();
  };
  try {
    const pdf = await task.promise;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: PRINT_SCALE });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
      const url = URL.createObjectURL(await canvasBlob(canvas));
      urls.push(url);
      // Printed at the page's own size: a point is 1/72 inch.
      const image = document.createElement('img');
      image.src = url;
      image.alt = '';
      image.style.width = `${natural.width / 72}in`;
      container.append(image);
      await image.decode();
      page.cleanup();
    }
    container.dataset.pageCount = String(pdf.numPages);
    document.body.append(container);
    document.body.classList.add('is-printing');
    window.addEventListener('afterprint', cleanup, { once: true });
    handedToPrint = true;
    // Chromium (and Electron) keep print() until the dialog closes, and say afterprint before it returns.
    window.print();
    setTimeout(() => {
      window.removeEventListener('afterprint', cleanup);
      cleanup();
    }, CLEANUP_AFTER_MS);
  } finally {
    if (!handedToPrint) cleanup();
  }
}
