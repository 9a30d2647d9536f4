// Helpers shared by the benchmarks that work on large PDFs and compare against other programs
// (sign, verify): a scan-like PDF of a given size, and the wall time of a command.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PDFDocument, PDFName } from 'pdf-lib';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';

export interface ScannedPdfOptions {
  /** A first page of text before the scanned pages (the "Số:" and date lines of a draft, say), in this font (TrueType bytes). */
  textPage?: { lines: readonly string[]; font: Uint8Array };
}

/** A scan-like PDF: pages of uncompressible image data adding up to about `megabytes`. */
export async function scannedPdf(file: string, megabytes: number, options: ScannedPdfOptions = {}): Promise<void> {
  const doc = await PDFDocument.create();
  if (options.textPage) {
    doc.registerFontkit(pdfLibFontkit);
    const font = await doc.embedFont(options.textPage.font, { subset: true });
    const page = doc.addPage([595, 842]);
    options.textPage.lines.forEach((line, n) => page.drawText(line, { x: 60, y: 780 - n * 20, size: 12, font }));
  }
  const pages = Math.max(1, Math.round(megabytes / 5));
  const side = Math.floor(Math.sqrt((megabytes * 1048576) / pages / 3));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    const image = doc.context.register(doc.context.stream(randomBytes(side * side * 3), { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }));
    page.node.set(PDFName.of('Resources'), doc.context.obj({ XObject: { Im0: image } }));
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream('q 595 0 0 842 0 0 cm /Im0 Do Q')));
  }
  fs.writeFileSync(file, await doc.save());
}

/** The wall time of a command run to its end, in milliseconds; its output is discarded. Throws when it fails. */
export function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  return performance.now() - started;
}
