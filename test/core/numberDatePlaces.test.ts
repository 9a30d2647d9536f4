// Finding the blank number and date lines of an outgoing draft. Real drafts are written by the
// test as Writer (flat ODT) and Word (.docx) files and printed to PDF by LibreOffice; poppler's
// pdftotext, which shares no code with pdf.js, says where the words really are. PDFs drawn glyph
// by glyph, rotated pages and bad inputs are made with pdf-lib.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { findNumberDatePlaces, type NumberDatePlaces, type TextPlace } from '../../main/core/pdf/numberDatePlaces.js';
import { convertToPdf } from '../../main/core/pdf/convertOffice.js';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';
import { AppError } from '../../main/common/errors.js';
import { interopPdf, tempDir, VIETNAMESE_FONT } from '../support/fixtures.js';

let work: string;
before(() => {
  work = tempDir('eoffice-places-');
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Drafts as a clerk writes them: a two-column header table (agency and "Số:" on the left, the
// national motto and the date line on the right), a title and body text.

interface Paragraph {
  text: string;
  size: number;
  bold?: boolean;
  italic?: boolean;
  align?: 'center' | 'justify';
  /** Space before the paragraph, in points. */
  before?: number;
}

interface Draft {
  left: Paragraph[];
  right: Paragraph[];
  body: Paragraph[];
}

const hanoiDecision: Draft = {
  left: [
    { text: 'ỦY BAN NHÂN DÂN', size: 13 },
    { text: 'THÀNH PHỐ HÀ NỘI', size: 13, bold: true },
    { text: 'Số:      /QĐ-UBND', size: 13, before: 8 },
  ],
  right: [
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', size: 13, bold: true },
    { text: 'Độc lập - Tự do - Hạnh phúc', size: 14, bold: true },
    { text: 'Hà Nội, ngày      tháng      năm 2026', size: 14, italic: true, before: 8 },
  ],
  body: [
    { text: 'QUYẾT ĐỊNH', size: 14, bold: true, before: 18 },
    { text: 'Phê duyệt Kế hoạch bảo đảm thoát nước mùa mưa năm 2026', size: 14, bold: true },
    { text: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', size: 14, bold: true, before: 12 },
    { text: 'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;', size: 14, align: 'justify', italic: true, before: 6 },
    { text: 'Căn cứ Văn bản số 212/UBND-VP ngày 23 tháng 01 năm 2026 của Ủy ban nhân dân Thành phố; Số: liệu do các sở báo cáo gửi về trước ngày 15 hằng tháng.', size: 14, align: 'justify', italic: true },
    { text: 'QUYẾT ĐỊNH:', size: 14, bold: true, before: 6 },
    { text: 'Điều 1. Phê duyệt Kế hoạch kèm theo Quyết định này. Các đơn vị báo cáo kết quả về Ủy ban nhân dân Thành phố trước ngày      tháng      năm 2026.', size: 14, align: 'justify' },
  ],
};

const districtLetter: Draft = {
  left: [
    { text: 'ỦY BAN NHÂN DÂN', size: 13 },
    { text: 'QUẬN BA ĐÌNH', size: 13, bold: true },
    { text: 'Số:    /UBND-VP', size: 13, before: 8 },
    { text: 'V/v triển khai kế hoạch chuyển đổi số năm 2026', size: 12 },
  ],
  right: [
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', size: 13, bold: true },
    { text: 'Độc lập - Tự do - Hạnh phúc', size: 14, bold: true },
    { text: 'Ba Đình, ngày    tháng    năm 2026', size: 14, italic: true, before: 8 },
  ],
  body: [
    { text: 'Kính gửi: Các phòng, ban chuyên môn thuộc Ủy ban nhân dân quận.', size: 14, before: 18 },
    { text: 'Thực hiện Kế hoạch số 173/KH-UBND ngày 28 tháng 4 năm 2026 của Ủy ban nhân dân Thành phố, Ủy ban nhân dân quận đề nghị các đơn vị báo cáo số liệu trước ngày 10 hằng tháng.', size: 14, align: 'justify' },
  ],
};

const communeNoticeWithDots: Draft = {
  left: [
    { text: 'ỦY BAN NHÂN DÂN', size: 13 },
    { text: 'XÃ TÂN LẬP', size: 13, bold: true },
    { text: 'Số: ......./TB-UBND', size: 13, before: 8 },
  ],
  right: [
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', size: 13, bold: true },
    { text: 'Độc lập - Tự do - Hạnh phúc', size: 14, bold: true },
    { text: 'Tân Lập, ngày ..... tháng ..... năm 20...', size: 14, italic: true, before: 8 },
  ],
  body: [
    { text: 'THÔNG BÁO', size: 14, bold: true, before: 18 },
    { text: 'Về lịch tiếp công dân', size: 14, bold: true },
    { text: 'Ủy ban nhân dân xã thông báo lịch tiếp công dân từ ngày 05 tháng 5 năm 2026; số điện thoại liên hệ của bộ phận một cửa không thay đổi.', size: 14, align: 'justify', before: 12 },
  ],
};

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Writer keeps one space of a run and needs <text:s/> for the rest, as a clerk's blanks are runs of spaces. */
function odfText(text: string): string {
  return xmlEscape(text).replace(/ {2,}/g, (run) => ` <text:s text:c="${run.length - 1}"/>`);
}

/** A flat ODT (.fodt), the single-file XML form of a Writer document. */
function flatOdt(draft: Draft): string {
  const styles: string[] = [];
  const paragraph = (p: Paragraph): string => {
    const name = `P${styles.length}`;
    styles.push(
      `<style:style style:name="${name}" style:family="paragraph">` +
        `<style:paragraph-properties fo:text-align="${p.align ?? 'center'}" fo:margin-top="${p.before ?? 0}pt" fo:margin-bottom="0pt"/>` +
        `<style:text-properties fo:font-size="${p.size}pt" fo:font-weight="${p.bold ? 'bold' : 'normal'}" fo:font-style="${p.italic ? 'italic' : 'normal'}"/>` +
        `</style:style>`,
    );
    return `<text:p text:style-name="${name}">${odfText(p.text)}</text:p>`;
  };
  const left = draft.left.map(paragraph).join('');
  const right = draft.right.map(paragraph).join('');
  const body = draft.body.map(paragraph).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'" style:font-family-generic="roman"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Times New Roman" fo:language="vi" fo:country="VN"/>
  </style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/>
  </style:page-layout>
  <style:style style:name="Header" style:family="table"><style:table-properties style:width="16.5cm" table:align="left"/></style:style>
  <style:style style:name="Header.A" style:family="table-column"><style:table-column-properties style:column-width="6cm"/></style:style>
  <style:style style:name="Header.B" style:family="table-column"><style:table-column-properties style:column-width="10.5cm"/></style:style>
  ${styles.join('\n  ')}
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
 <office:body><office:text>
  <table:table table:name="Header" table:style-name="Header">
   <table:table-column table:style-name="Header.A"/><table:table-column table:style-name="Header.B"/>
   <table:table-row>
    <table:table-cell office:value-type="string">${left}</table:table-cell>
    <table:table-cell office:value-type="string">${right}</table:table-cell>
   </table:table-row>
  </table:table>
  ${body}
 </office:text></office:body>
</office:document>
`;
}

/** The same draft as Word writes it: WordprocessingML in a ZIP. */
function docx(draft: Draft): Uint8Array {
  const paragraph = (p: Paragraph): string =>
    `<w:p><w:pPr><w:spacing w:before="${(p.before ?? 0) * 20}" w:after="0"/><w:jc w:val="${p.align === 'justify' ? 'both' : 'center'}"/></w:pPr>` +
    `<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>${p.bold ? '<w:b/>' : ''}${p.italic ? '<w:i/>' : ''}<w:sz w:val="${p.size * 2}"/><w:lang w:val="vi-VN"/></w:rPr>` +
    `<w:t xml:space="preserve">${xmlEscape(p.text)}</w:t></w:r></w:p>`;
  const cell = (twips: number, paragraphs: Paragraph[]) => `<w:tc><w:tcPr><w:tcW w:w="${twips}" w:type="dxa"/></w:tcPr>${paragraphs.map(paragraph).join('')}</w:tc>`;
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:tbl><w:tblPr><w:tblW w:w="9356" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="3402"/><w:gridCol w:w="5954"/></w:tblGrid>
<w:tr>${cell(3402, draft.left)}${cell(5954, draft.right)}</w:tr></w:tbl>
${draft.body.map(paragraph).join('\n')}
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>
</w:body></w:document>`;
  return storedZip([
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    ],
    ['word/document.xml', document],
  ]);
}

/** A ZIP with uncompressed entries: all a .docx needs, without a ZIP library. */
function storedZip(entries: [name: string, content: string][]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Through convertToPdf, as the app does. A flat ODT is named .odt: LibreOffice goes by the content. */
async function printWithLibreOffice(fileName: string, content: string | Uint8Array): Promise<string> {
  const source = path.join(work, fileName);
  fs.writeFileSync(source, content);
  const pdf = path.join(work, `${fileName}.pdf`);
  fs.writeFileSync(pdf, await convertToPdf(source));
  return pdf;
}

// ---------------------------------------------------------------------------------------------
// The independent witness: poppler's word boxes, turned to PDF user space (origin bottom-left).

interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function popplerWords(pdf: string): WordBox[] {
  const xml = execFileSync('/usr/bin/pdftotext', ['-f', '1', '-l', '1', '-bbox-layout', pdf, '-'], { encoding: 'utf8' });
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(xml)?.[1]);
  assert.ok(height > 0, 'pdftotext reports the page height');
  const words: WordBox[] = [];
  for (const m of xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    words.push({ text: (m[5] ?? '').normalize('NFC'), x0: Number(m[1]), y0: height - Number(m[4]), x1: Number(m[3]), y1: height - Number(m[2]) });
  }
  return words;
}

function word(words: WordBox[], text: string): WordBox {
  const found = words.find((w) => w.text === text);
  assert.ok(found, `pdftotext sees "${text}" on page 1 (it saw: ${words.map((w) => w.text).join(' ')})`);
  return found;
}

function assertInside(box: WordBox, place: TextPlace, what: string): void {
  const [x, y, width, height] = place.rect;
  const inside = box.x0 >= x && box.x1 <= x + width && box.y0 >= y && box.y1 <= y + height;
  assert.ok(inside, `${what}: poppler's box of "${box.text}" ${JSON.stringify(box)} lies inside our rect ${JSON.stringify(place.rect)}`);
}

const A4_HEIGHT = 841.89;

/** What every real draft must satisfy: both found on page 1, in the header, the number left of the date. */
function assertHeaderPlaces(found: NumberDatePlaces): asserts found is { number: NonNullable<NumberDatePlaces['number']>; date: NonNullable<NumberDatePlaces['date']> } {
  assert.ok(found.number, 'the number line is found');
  assert.ok(found.date, 'the date line is found');
  assert.equal(found.number.page, 1);
  assert.equal(found.date.page, 1);
  const [nx, ny, nw, nh] = found.number.rect;
  const [dx, dy, , dh] = found.date.rect;
  assert.ok(nx + nw <= dx, `the number rect ${JSON.stringify(found.number.rect)} lies left of the date rect ${JSON.stringify(found.date.rect)}`);
  for (const [y, h] of [[ny, nh], [dy, dh]] as const) {
    assert.ok(y > A4_HEIGHT * 0.6 && y + h < A4_HEIGHT, 'in the top part of the page');
    assert.ok(h > 10 && h < 30, `about one line high (${h})`);
  }
}

// ---------------------------------------------------------------------------------------------

test('a decision written in Writer: both places found in the header table, where poppler sees the words, not in the body', async () => {
  const pdf = await printWithLibreOffice('quyet-dinh.odt', flatOdt(hanoiDecision));
  const found = await findNumberDatePlaces(pdf);
  assertHeaderPlaces(found);
  assert.equal(found.number.suffix, 'QĐ-UBND');
  assert.equal(found.number.text, 'Số: /QĐ-UBND');
  assert.equal(found.number.fontSize, 13);
  assert.equal(found.number.italic, false);
  assert.equal(found.date.place, 'Hà Nội');
  assert.equal(found.date.text, 'Hà Nội, ngày tháng năm 2026');
  assert.equal(found.date.fontSize, 14);
  assert.equal(found.date.italic, true, 'the date line is printed in italics');

  const words = popplerWords(pdf);
  assertInside(word(words, 'Số:'), found.number, 'number');
  assertInside(word(words, '/QĐ-UBND'), found.number, 'number');
  assertInside(word(words, 'Hà'), found.date, 'date');
  assertInside(word(words, '2026'), found.date, 'date');
  // The phrase, not the whole cell or row: the motto above and the title below stay outside.
  const motto = word(words, 'Hạnh');
  assert.ok((motto.y0 + motto.y1) / 2 > found.date.rect[1] + found.date.rect[3], 'the motto line above is not covered');
});

test('the same decision written in Word (.docx): the same places', async () => {
  const pdf = await printWithLibreOffice('quyet-dinh.docx', docx(hanoiDecision));
  const found = await findNumberDatePlaces(fs.readFileSync(pdf));
  assertHeaderPlaces(found);
  assert.equal(found.number.suffix, 'QĐ-UBND');
  assert.equal(found.date.place, 'Hà Nội');
  assert.equal(found.date.italic, true);
  assert.equal(found.number.italic, false);
  const words = popplerWords(pdf);
  assertInside(word(words, 'Số:'), found.number, 'number');
  assertInside(word(words, 'ngày'), found.date, 'date');
});

test('a công văn: "Số:    /UBND-VP" with the subject line under it, and a two-word place', async () => {
  const pdf = await printWithLibreOffice('cong-van.odt', flatOdt(districtLetter));
  const found = await findNumberDatePlaces(pdf);
  assertHeaderPlaces(found);
  assert.equal(found.number.suffix, 'UBND-VP');
  assert.equal(found.date.place, 'Ba Đình');
  assert.equal(found.date.text, 'Ba Đình, ngày tháng năm 2026');
  const words = popplerWords(pdf);
  assertInside(word(words, 'Số:'), found.number, 'number');
  assertInside(word(words, '/UBND-VP'), found.number, 'number');
  assertInside(word(words, 'Đình,'), found.date, 'date');
  const subject = word(words, 'V/v');
  // Single-spaced lines' boxes touch; what matters is that the next line's letters stay outside.
  assert.ok((subject.y0 + subject.y1) / 2 < found.number.rect[1], `the subject line below the number is not covered (${JSON.stringify(subject)})`);
});

test('dots for blanks: "Số: ......./TB-UBND" and "ngày ..... tháng ..... năm 20..."', async () => {
  const pdf = await printWithLibreOffice('thong-bao.odt', flatOdt(communeNoticeWithDots));
  const found = await findNumberDatePlaces(pdf);
  assertHeaderPlaces(found);
  assert.equal(found.number.suffix, 'TB-UBND');
  assert.equal(found.number.text, 'Số: ......./TB-UBND');
  assert.equal(found.date.place, 'Tân Lập');
  assert.equal(found.date.text, 'Tân Lập, ngày ..... tháng ..... năm 20...');
  const words = popplerWords(pdf);
  assertInside(word(words, 'Số:'), found.number, 'number');
  assertInside(word(words, '20...'), found.date, 'date');
});

test('real issued documents of Hà Nội: the blanks of their text layer are where the system stamped number and date', async () => {
  // These PDFs were numbered by stamping the figures in signature widgets over the blanks: their
  // page text still holds the blank lines, and poppler sees the stamped figures.
  for (const [name, suffix, stampedNumber, stampedDay] of [
    ['hanoi-kh-173-ubnd-2026.pdf', 'KH-UBND', '173', '28'],
    ['hanoi-tb-453-ubnd-2026.pdf', 'TB-UBND', '453', '29'],
  ] as const) {
    const file = interopPdf(name);
    const found = await findNumberDatePlaces(file);
    assertHeaderPlaces(found);
    assert.equal(found.number.suffix, suffix, name);
    assert.equal(found.date.place, 'Hà Nội', name);
    const words = popplerWords(file);
    const figure = word(words, stampedNumber);
    const [x, y, width, height] = found.number.rect;
    const centreX = (figure.x0 + figure.x1) / 2;
    const centreY = (figure.y0 + figure.y1) / 2;
    assert.ok(centreX > x && centreX < x + width && centreY > y && centreY < y + height, `${name}: the stamped number ${JSON.stringify(figure)} sits in our rect ${JSON.stringify(found.number.rect)}`);
    const day = word(words, stampedDay);
    const [dx, dy, dw, dh] = found.date.rect;
    assert.ok(day.x0 > dx && day.x1 < dx + dw && (day.y0 + day.y1) / 2 > dy && (day.y0 + day.y1) / 2 < dy + dh, `${name}: the stamped day sits in our date rect`);
  }
  // The year is not printed in this one ("năm" then the stamp).
  const withoutYear = await findNumberDatePlaces(interopPdf('hanoi-tb-453-ubnd-2026.pdf'));
  assert.equal(withoutYear.date?.text, 'Hà Nội, ngày tháng năm');
});

// ---------------------------------------------------------------------------------------------
// PDFs drawn with pdf-lib, where the test knows every glyph's position.

interface Drawn {
  x: number;
  y: number;
  width: number;
}

async function vietnameseFont(doc: PDFDocument): Promise<PDFFont> {
  doc.registerFontkit(pdfLibFontkit);
  return doc.embedFont(fs.readFileSync(VIETNAMESE_FONT), { subset: true });
}

/**
 * Draws text one code point per text object, switching between two embedded copies of the font
 * at every glyph, as producers with per-glyph font fallback do. pdf.js would merge glyphs drawn
 * one after the other in one font into one item; a font change makes it start a new item, so
 * every glyph — combining accents included — reaches the finder as an item of its own.
 */
function drawGlyphByGlyph(page: PDFPage, fonts: [PDFFont, PDFFont], text: string, x: number, y: number, size: number): Drawn {
  let pen = x;
  let index = 0;
  for (const char of text) {
    const font = fonts[index++ % 2] as PDFFont;
    // Spaces are left as gaps, as such producers do.
    if (char !== ' ') page.drawText(char, { x: pen, y, size, font, color: rgb(0, 0, 0) });
    pen += font.widthOfTextAtSize(char, size);
  }
  return { x, y, width: pen - x };
}

async function alternatingFonts(doc: PDFDocument): Promise<[PDFFont, PDFFont]> {
  return [await vietnameseFont(doc), await vietnameseFont(doc)];
}

test('a PDF drawn glyph by glyph, with accents as separate combining marks and "SỐ :" in capitals', async () => {
  const doc = await PDFDocument.create();
  const font = await alternatingFonts(doc);
  const page = doc.addPage([595, 842]);
  const size = 12;
  drawGlyphByGlyph(page, font, 'UBND XÃ AN BÌNH', 60, 780, size);
  // NFD: "Ố" is O + U+0302 + U+0301, each drawn as its own glyph.
  const number = drawGlyphByGlyph(page, font, 'SỐ :      /UBND-VP'.normalize('NFD'), 60, 760, size);
  drawGlyphByGlyph(page, font, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 300, 780, size);
  const date = drawGlyphByGlyph(page, font, 'An Bình, ngày ____ tháng ____ năm 2026'.normalize('NFD'), 300, 760, size);
  const found = await findNumberDatePlaces(await doc.save());
  assert.ok(found.number && found.date, JSON.stringify(found));
  assert.equal(found.number.text, 'SỐ : /UBND-VP', 'reported in NFC, blanks collapsed');
  assert.equal(found.number.suffix, 'UBND-VP');
  assert.equal(found.date.place, 'An Bình');
  assert.equal(found.date.text, 'An Bình, ngày ____ tháng ____ năm 2026');
  assert.equal(found.number.fontSize, size);
  for (const [drawn, place] of [[number, found.number], [date, found.date]] as const) {
    const [x, y, width, height] = place.rect;
    assert.ok(x <= drawn.x && x > drawn.x - size, `starts at the first glyph (${x} vs ${drawn.x})`);
    assert.ok(x + width >= drawn.x + drawn.width && x + width < drawn.x + drawn.width + size, `ends at the last glyph (${x + width} vs ${drawn.x + drawn.width})`);
    assert.ok(y < drawn.y - 0.15 * size && y + height > drawn.y + 0.7 * size, 'spans descenders and capitals');
  }
});

test('only the header counts: blanks in the body, below the top 40% of the page, are not places; the first line wins', async () => {
  const doc = await PDFDocument.create();
  const font = await vietnameseFont(doc);
  const page = doc.addPage([595, 842]);
  page.drawText('Hà Nội, ngày      tháng      năm 2026', { x: 300, y: 760, size: 13, font });
  page.drawText('Lào Cai, ngày      tháng      năm 2026', { x: 300, y: 700, size: 13, font });
  page.drawText('Số:      /BC-UBND', { x: 60, y: 300, size: 13, font });
  page.drawText('Đề nghị gửi báo cáo trước ngày      tháng      năm 2026.', { x: 60, y: 280, size: 13, font });
  const found = await findNumberDatePlaces(await doc.save());
  assert.equal(found.number, null, 'a "Số:" line low on the page is body text');
  assert.equal(found.date?.place, 'Hà Nội', 'the topmost date line');
  assert.equal(found.date?.italic, false);
});

test('a filled-in number or date is not a blank place', async () => {
  const doc = await PDFDocument.create();
  const font = await vietnameseFont(doc);
  const page = doc.addPage([595, 842]);
  page.drawText('Số: 05/QĐ-UBND', { x: 60, y: 760, size: 13, font });
  page.drawText('Hà Nội, ngày 05 tháng 01 năm 2026', { x: 300, y: 760, size: 13, font });
  assert.deepEqual(await findNumberDatePlaces(await doc.save()), { number: null, date: null });
});

test('a year left blank with dots, and blanks drawn dot by dot', async () => {
  const doc = await PDFDocument.create();
  const fonts = await alternatingFonts(doc);
  const page = doc.addPage([595, 842]);
  drawGlyphByGlyph(page, fonts, 'Số: ........../KH-UBND', 60, 760, 13);
  page.drawText('Lào Cai, ngày ...... tháng ...... năm .......', { x: 300, y: 760, size: 13, font: fonts[0] });
  const found = await findNumberDatePlaces(await doc.save());
  assert.equal(found.number?.text, 'Số: ........../KH-UBND');
  assert.equal(found.date?.text, 'Lào Cai, ngày ...... tháng ...... năm .......');
});

test('a cover page without the lines: page 2 is searched', async () => {
  const doc = await PDFDocument.create();
  const font = await vietnameseFont(doc);
  doc.addPage([595, 842]).drawText('PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC', { x: 120, y: 760, size: 14, font });
  const second = doc.addPage([595, 842]);
  second.drawText('Số:      /TTr-UBND', { x: 60, y: 760, size: 13, font });
  const found = await findNumberDatePlaces(await doc.save());
  assert.equal(found.number?.page, 2);
  assert.equal(found.number?.suffix, 'TTr-UBND');
  assert.equal(found.date, null);
});

test('a page turned by /Rotate 90: lines read as the page is seen, the rect in unrotated user space', async () => {
  const doc = await PDFDocument.create();
  const font = await vietnameseFont(doc);
  const page = doc.addPage([842, 595]);
  page.setRotation(degrees(90));
  // Shown turned a quarter clockwise: text drawn upwards reads left to right, and the page's
  // left edge (small x) becomes the top.
  const size = 13;
  const text = 'Số:      /QĐ-UBND';
  page.drawText('ỦY BAN NHÂN DÂN TỈNH LÀO CAI', { x: 40, y: 60, size, font, rotate: degrees(90) });
  page.drawText(text, { x: 60, y: 80, size, font, rotate: degrees(90) });
  page.drawText('Số:      /KH-UBND', { x: 700, y: 80, size, font, rotate: degrees(90) }); // far down the shown page
  const found = await findNumberDatePlaces(await doc.save());
  assert.ok(found.number, JSON.stringify(found));
  assert.equal(found.number.suffix, 'QĐ-UBND');
  const [x, y, width, height] = found.number.rect;
  const advance = font.widthOfTextAtSize(text, size);
  // Upright on screen means the glyphs stand on the baseline x = 60 and rise towards smaller x.
  assert.ok(x < 60 - 0.7 * size && x + width > 60 + 0.15 * size && width < 2 * size, `across the baseline: ${JSON.stringify(found.number.rect)}`);
  assert.ok(y <= 80 && y > 80 - size && y + height >= 80 + advance && y + height < 80 + advance + size, `along the run: ${JSON.stringify(found.number.rect)}`);
});

test('a scan without text gives no places; bytes that are no PDF are DAMAGED_PDF', async () => {
  const blank = await PDFDocument.create();
  blank.addPage([595, 842]);
  assert.deepEqual(await findNumberDatePlaces(await blank.save()), { number: null, date: null });

  await assert.rejects(findNumberDatePlaces(randomBytes(4096)), (error: unknown) => error instanceof AppError && error.code === 'DAMAGED_PDF');
  const garbage = path.join(work, 'not-a-pdf.pdf');
  fs.writeFileSync(garbage, 'Số: /QĐ-UBND — this is a text file');
  await assert.rejects(findNumberDatePlaces(garbage), (error: unknown) => error instanceof AppError && error.code === 'DAMAGED_PDF' && error.details?.fileName === 'not-a-pdf.pdf');
  await assert.rejects(findNumberDatePlaces(path.join(work, 'missing.pdf')), (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND');
});
