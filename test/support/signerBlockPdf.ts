// Documents laid out as Decree 30 lays out their foot: "Nơi nhận" on the left; on the right the
// signer's position in capitals, a gap for the signature, and the full name. Real Vietnamese text
// in an embedded font, so that pdf.js reads it as a reader would.
import fs from 'node:fs';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';
import { VIETNAMESE_FONT } from './fixtures.js';

export interface SignerBlockLayout {
  /** Top to bottom, e.g. ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]. */
  position: string[];
  /** The full name as printed. */
  name: string;
  /** Pages before the one that ends with the block (1 by default: a two-page document). */
  pagesBefore?: number;
  /** Lines of body text above the block on its page. */
  body?: string[];
}

/** Where the layout put things, in PDF points from the bottom-left corner. */
export const BLOCK = {
  size: 13,
  /** The middle of the right column, on which position and name are centred. */
  middle: 430,
  /** Baseline of the first position line; the others follow 16 pt apart. */
  positionBaseline: 520,
  /** Baseline of the name. */
  nameBaseline: 420,
};

function centred(page: PDFPage, font: PDFFont, text: string, y: number): void {
  const width = font.widthOfTextAtSize(text, BLOCK.size);
  page.drawText(text, { x: BLOCK.middle - width / 2, y, size: BLOCK.size, font, color: rgb(0, 0, 0) });
}

export async function makeSignerBlockPdf(layout: SignerBlockLayout): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const font = await doc.embedFont(fs.readFileSync(VIETNAMESE_FONT), { subset: true });
  const text = (page: PDFPage, line: string, x: number, y: number) => page.drawText(line, { x, y, size: BLOCK.size, font, color: rgb(0, 0, 0) });
  for (let i = 0; i < (layout.pagesBefore ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    text(page, 'QUYẾT ĐỊNH', 250, 760);
    text(page, `Điều ${i + 1}. Ông Nguyễn Văn An, Chủ tịch Ủy ban nhân dân xã, chịu trách nhiệm thi hành.`, 60, 700);
  }
  const page = doc.addPage([595, 842]);
  let y = 780;
  for (const line of layout.body ?? ['Điều 3. Quyết định này có hiệu lực từ ngày ký./.']) {
    text(page, line, 60, y);
    y -= 20;
  }
  // The left column shares baselines with the right one, as a two-column table prints them.
  const recipients = ['Nơi nhận:', '- Như Điều 3;', '- Lưu: VT, VP.'];
  recipients.forEach((line, i) => text(page, line, 60, BLOCK.positionBaseline - i * 16));
  layout.position.forEach((line, i) => centred(page, font, line, BLOCK.positionBaseline - i * 16));
  centred(page, font, layout.name, BLOCK.nameBaseline);
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  return doc.save();
}
