// Fixtures made by the tests themselves: temporary data folders and PDFs. The only files not
// made here are the real data in test/fixtures/interop: government PDFs, the national and
// government CA certificates and the axis SDK's edXML samples (see its PROVENANCE.md). They are in
// the repository so that a clone alone passes npm test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, rgb } from 'pdf-lib';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const INTEROP_DIR = path.join(REPO_ROOT, 'test/fixtures/interop');
// Debian's fonts-dejavu-core: a font with every Vietnamese letter, to write real Vietnamese text.
export const VIETNAMESE_FONT = process.env.EOFFICE_TEST_FONT ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export function tempDir(prefix = 'eoffice-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function interopPdf(name: string): string {
  const file = path.join(INTEROP_DIR, 'pdf', name);
  if (!fs.existsSync(file)) throw new Error(`Interop PDF missing: ${file}; it belongs to the repository (test/fixtures/interop).`);
  return file;
}

/** A one-page PDF with real Vietnamese text in an embedded font (so the text layer is searchable). */
export async function makeVietnamesePdf(lines: string[], options: { title?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const font = await doc.embedFont(fs.readFileSync(VIETNAMESE_FONT), { subset: true });
  const page = doc.addPage([595, 842]);
  let y = 780;
  for (const line of lines) {
    page.drawText(line, { x: 60, y, size: 12, font, color: rgb(0, 0, 0) });
    y -= 20;
  }
  if (options.title) doc.setTitle(options.title);
  // A fixed date keeps two PDFs made from the same lines byte-identical, as a re-sent file is.
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  return doc.save();
}

/** Every file under a folder, relative; used to check that a failed import left nothing behind. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
  }
  return out.sort();
}

/** A commune's decision as the clerk drafts it: the number and date left blank for numbering. */
export function decisionDraftPdf(subject: string): Promise<Uint8Array> {
  return makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`]);
}
