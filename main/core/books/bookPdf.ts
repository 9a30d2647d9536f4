// The register printed as the paper book: A4 landscape, a cover, then ruled table pages whose
// header repeats on every page. Text is Tinos (metric-compatible with Times New Roman, covers
// Vietnamese), embedded once per weight as a subset, so the file reads the same on any machine.
//
// Speed: a year's register runs to thousands of rows. fontkit's shaping (the layout behind
// pdf-lib's widthOfTextAtSize and encodeText) is by far the costliest step, so each distinct word
// is measured and encoded once and lines are assembled from the cached pieces; a page's content
// is written as operator text rather than as a pdf-lib PDFOperator object per glyph run.
import { deflateSync } from 'node:zlib';
import { PDFDocument, PageSizes, type PDFPage } from 'pdf-lib';
import { pdfLibFontkit, tinosFontBytes } from '../pdf/fonts.js';
import { Typeface, wrapText } from '../pdf/textLayout.js';
import { assertValidBook, bookAgencyLines, bookColumns, bookCoverLines, bookTitle, type BookColumn, type BookKind, type RegisterBook } from './book.js';

const [PAGE_HEIGHT, PAGE_WIDTH] = PageSizes.A4; // landscape: A4 turned on its side
export const BOOK_PDF_PAGE_SIZE: readonly [width: number, height: number] = [PAGE_WIDTH, PAGE_HEIGHT];

const MM = 72 / 25.4;
// The wider left margin is the binding edge of the bound book.
const MARGIN_LEFT = 20 * MM;
const MARGIN_RIGHT = 12 * MM;
const MARGIN_TOP = 14 * MM;
const MARGIN_BOTTOM = 16 * MM; // leaves room for the page number under the table
const TABLE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

const BODY_SIZE = 10;
const LINE_HEIGHT = 12;
const CELL_PAD_X = 3;
const CELL_PAD_Y = 3;
const RULE_WIDTH = 0.6;
// A row taller than a whole page has to break; starting it on a page with less room than this
// would leave a stub of a line or two cut off from the rest.
const MIN_LINES_BEFORE_BREAK = 3;

/** x of every vertical rule of the register's table, left to right (columns.length + 1 values), in points. */
export function bookTableColumnEdges(kind: BookKind): number[] {
  return tableColumnEdges(bookColumns(kind));
}

function tableColumnEdges(columns: readonly BookColumn[]): number[] {
  const totalWeight = columns.reduce((sum, column) => sum + column.weight, 0);
  const edges = [MARGIN_LEFT];
  let x = MARGIN_LEFT;
  for (const column of columns) {
    x += (column.weight / totalWeight) * TABLE_WIDTH;
    edges.push(x);
  }
  // Rounding must not push the last rule past the right margin.
  edges[edges.length - 1] = MARGIN_LEFT + TABLE_WIDTH;
  return edges;
}

const num = (value: number): string => (Math.round(value * 100) / 100).toString();

/** One page's content, gathered as PDF operators in a string and written as one stream. */
class PageInk {
  private readonly parts: string[] = [];
  private readonly fontKeys = new Map<Typeface, string>();

  constructor(
    private readonly doc: PDFDocument,
    readonly page: PDFPage,
  ) {}

  /** Lines with their own x, stacked downwards from the first baseline. */
  lines(face: Typeface, size: number, placed: Array<{ x: number; text: string }>, firstBaseline: number, lineHeight: number): void {
    if (placed.length === 0) return;
    let key = this.fontKeys.get(face);
    if (!key) {
      key = this.page.node.newFontDictionary(face.font.name, face.font.ref).toString();
      this.fontKeys.set(face, key);
    }
    this.parts.push(`BT ${key} ${num(size)} Tf`);
    let baseline = firstBaseline;
    for (const { x, text } of placed) {
      if (text !== '') this.parts.push(`1 0 0 1 ${num(x)} ${num(baseline)} Tm <${face.hex(text)}> Tj`);
      baseline -= lineHeight;
    }
    this.parts.push('ET');
  }

  leftLines(face: Typeface, size: number, lines: string[], x: number, firstBaseline: number, lineHeight: number): void {
    this.lines(face, size, lines.map((text) => ({ x, text })), firstBaseline, lineHeight);
  }

  centredLines(face: Typeface, size: number, lines: string[], centreX: number, firstBaseline: number, lineHeight: number): number {
    this.lines(face, size, lines.map((text) => ({ x: centreX - face.lineWidth(text, size) / 2, text })), firstBaseline, lineHeight);
    return firstBaseline - lines.length * lineHeight;
  }

  rules(width: number, segments: Array<[x1: number, y1: number, x2: number, y2: number]>): void {
    const path = segments.map(([x1, y1, x2, y2]) => `${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l`);
    this.parts.push(`q ${num(width)} w 0 G`, ...path, 'S Q');
  }

  /** Writes what was drawn since the last close as one more content stream of the page. */
  close(): void {
    if (this.parts.length === 0) return;
    // Node's native zlib rather than pdf-lib's flateStream (pako): hundreds of pages each set up a
    // compressor, and pako's set-up alone was a tenth of the time. The operators are all ASCII.
    const stream = this.doc.context.stream(deflateSync(Buffer.from(this.parts.join('\n'), 'latin1')), { Filter: 'FlateDecode' });
    this.page.node.addContentStream(this.doc.context.register(stream));
    this.parts.length = 0;
  }
}

interface Faces {
  regular: Typeface;
  bold: Typeface;
}

/**
 * A table printed as the register is: a cover (the agency, the title, lines of facts), then ruled
 * pages whose header repeats. The register books and the search results (searchExport.ts) print so.
 */
export interface PrintedTable {
  /** The agency block of the cover, parent agency first. */
  agencyLines: string[];
  title: string;
  coverLines: string[];
  /** The file's own title (what a PDF reader's window shows). */
  documentTitle: string;
  columns: readonly BookColumn[];
  /** Each row has one cell per column, already formatted. */
  rows: string[][];
}

function drawCover(doc: PDFDocument, table: PrintedTable, faces: Faces): void {
  const ink = new PageInk(doc, doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]));
  // The agency block sits top left, centred on itself, as on the first page of a document
  // (Decree 30, Appendix I): the parent agency above, the agency itself in bold, a short rule under it.
  const blockWidth = 110 * MM;
  const blockCentre = MARGIN_LEFT + blockWidth / 2;
  const agencyLines = table.agencyLines;
  const agency = agencyLines[agencyLines.length - 1] ?? '';
  const parent = agencyLines.length > 1 ? agencyLines[0] : undefined;
  const agencySize = 12;
  const agencyLeading = 15;
  let baseline = PAGE_HEIGHT - MARGIN_TOP - agencySize;
  if (parent) baseline = ink.centredLines(faces.regular, agencySize, wrapText(faces.regular, agencySize, parent, blockWidth), blockCentre, baseline, agencyLeading);
  const agencyWrapped = wrapText(faces.bold, agencySize, agency, blockWidth);
  baseline = ink.centredLines(faces.bold, agencySize, agencyWrapped, blockCentre, baseline, agencyLeading);
  const widest = Math.max(0, ...agencyWrapped.map((line) => faces.bold.lineWidth(line, agencySize)));
  const ruleY = baseline + agencyLeading - 7;
  ink.rules(0.7, [[blockCentre - widest / 6, ruleY, blockCentre + widest / 6, ruleY]]);

  const titleSize = 30;
  const title = wrapText(faces.bold, titleSize, table.title, TABLE_WIDTH);
  baseline = ink.centredLines(faces.bold, titleSize, title, PAGE_WIDTH / 2, PAGE_HEIGHT * 0.58, titleSize * 1.25);

  const factSize = 15;
  const facts = table.coverLines.flatMap((line) => wrapText(faces.regular, factSize, line, TABLE_WIDTH));
  ink.centredLines(faces.regular, factSize, facts, PAGE_WIDTH / 2, baseline - 20, factSize * 1.9);
  ink.close();
}

/** Lays the rows onto table pages, one page at a time, and rules each page once it is full. */
class TableWriter {
  private readonly edges: number[];
  private readonly innerWidths: number[];
  private readonly headerLines: string[][];
  private readonly headerHeight: number;
  private readonly ascent: number;
  private readonly tableTop = PAGE_HEIGHT - MARGIN_TOP;
  private readonly tableBottom = MARGIN_BOTTOM;
  private readonly bodyTop: number;

  private ink: PageInk | undefined;
  private cursorY = 0;
  private rowsOnPage = 0;
  // Where the horizontal rules go on the current page; the vertical ones span first to last.
  private ruleYs: number[] = [];
  readonly pages: PageInk[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly columns: readonly BookColumn[],
    private readonly faces: Faces,
  ) {
    this.edges = tableColumnEdges(columns);
    this.innerWidths = columns.map((_, i) => this.edge(i + 1) - this.edge(i) - 2 * CELL_PAD_X);
    this.headerLines = columns.map((column, i) => wrapText(faces.bold, BODY_SIZE, column.vi, this.innerWidths[i] as number));
    this.headerHeight = Math.max(...this.headerLines.map((lines) => lines.length)) * LINE_HEIGHT + 2 * CELL_PAD_Y + 4;
    this.bodyTop = this.tableTop - this.headerHeight - (LINE_HEIGHT + 2 * CELL_PAD_Y);
    this.ascent = faces.regular.font.heightAtSize(BODY_SIZE, { descender: false });
  }

  private edge(i: number): number {
    return this.edges[i] as number;
  }

  private startPage(): PageInk {
    this.finishPage();
    const ink = new PageInk(this.doc, this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]));
    this.ink = ink;
    this.pages.push(ink);
    const headerBlock = this.headerHeight - 2 * CELL_PAD_Y - 4;
    this.columns.forEach((_, i) => {
      const centre = (this.edge(i) + this.edge(i + 1)) / 2;
      const lines = this.headerLines[i] as string[];
      // Labels are centred both ways, so a one-line label sits level with the middle of a three-line one.
      const offset = (headerBlock - lines.length * LINE_HEIGHT) / 2;
      ink.centredLines(this.faces.bold, BODY_SIZE, lines, centre, this.tableTop - CELL_PAD_Y - 2 - offset - this.ascent, LINE_HEIGHT);
      ink.centredLines(this.faces.regular, BODY_SIZE, [`(${i + 1})`], centre, this.tableTop - this.headerHeight - CELL_PAD_Y - this.ascent, LINE_HEIGHT);
    });
    this.ruleYs = [this.tableTop, this.tableTop - this.headerHeight, this.bodyTop];
    this.cursorY = this.bodyTop;
    this.rowsOnPage = 0;
    return ink;
  }

  private finishPage(): void {
    if (!this.ink) return;
    const left = this.edge(0);
    const right = this.edge(this.edges.length - 1);
    const bottom = this.ruleYs[this.ruleYs.length - 1] as number;
    this.ink.rules(RULE_WIDTH, [
      ...this.ruleYs.map((y): [number, number, number, number] => [left, y, right, y]),
      ...this.edges.map((x): [number, number, number, number] => [x, this.tableTop, x, bottom]),
    ]);
    // Written now so a long register does not hold every page's operators until the end.
    this.ink.close();
    this.ink = undefined;
  }

  private room(): number {
    return this.cursorY - this.tableBottom;
  }

  addRow(cells: string[]): void {
    const cellLines = cells.map((cell, i) => wrapText(this.faces.regular, BODY_SIZE, cell, this.innerWidths[i] as number));
    const lineCount = Math.max(1, ...cellLines.map((lines) => lines.length));
    const height = lineCount * LINE_HEIGHT + 2 * CELL_PAD_Y;
    let ink = this.ink ?? this.startPage();
    if (height > this.room() && height <= this.bodyTop - this.tableBottom) ink = this.startPage();
    if (height <= this.room()) {
      this.drawSlice(ink, cellLines, 0, lineCount);
      return;
    }
    // Taller than a whole page: it has to break, but between lines and with the header repeated.
    const linesThatFit = () => Math.floor((this.room() - 2 * CELL_PAD_Y) / LINE_HEIGHT);
    let from = 0;
    while (from < lineCount) {
      if (linesThatFit() < Math.min(MIN_LINES_BEFORE_BREAK, lineCount - from) && this.rowsOnPage > 0) ink = this.startPage();
      const to = Math.min(lineCount, from + Math.max(1, linesThatFit()));
      this.drawSlice(ink, cellLines, from, to);
      from = to;
      if (from < lineCount) ink = this.startPage();
    }
  }

  private drawSlice(ink: PageInk, cellLines: string[][], from: number, to: number): void {
    const top = this.cursorY;
    const firstBaseline = top - CELL_PAD_Y - this.ascent;
    cellLines.forEach((lines, i) => {
      const slice = lines.slice(from, to);
      if (this.columns[i]?.align === 'center') {
        ink.centredLines(this.faces.regular, BODY_SIZE, slice, (this.edge(i) + this.edge(i + 1)) / 2, firstBaseline, LINE_HEIGHT);
      } else {
        ink.leftLines(this.faces.regular, BODY_SIZE, slice, this.edge(i) + CELL_PAD_X, firstBaseline, LINE_HEIGHT);
      }
    });
    this.cursorY = top - (to - from) * LINE_HEIGHT - 2 * CELL_PAD_Y;
    this.ruleYs.push(this.cursorY);
    this.rowsOnPage += 1;
  }

  finish(): PageInk[] {
    // An empty register still prints its ruled header, as a new paper book does.
    if (this.pages.length === 0) this.startPage();
    this.finishPage();
    return this.pages;
  }
}

export async function renderBookPdf(book: RegisterBook): Promise<Uint8Array> {
  const columns = assertValidBook(book);
  return renderTablePdf({
    agencyLines: bookAgencyLines(book),
    title: bookTitle(book.kind, book.confidential),
    coverLines: bookCoverLines(book),
    documentTitle: `${bookTitle(book.kind, book.confidential)} – ${book.agencyName.trim()} – ${book.year}`,
    columns,
    rows: book.rows,
  });
}

export async function renderTablePdf(printed: PrintedTable): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const faces: Faces = {
    regular: new Typeface(await doc.embedFont(tinosFontBytes('regular'), { subset: true })),
    bold: new Typeface(await doc.embedFont(tinosFontBytes('bold'), { subset: true })),
  };
  doc.setTitle(printed.documentTitle);
  doc.setLanguage('vi-VN');
  doc.setCreator('eOffice');

  drawCover(doc, printed, faces);
  const table = new TableWriter(doc, printed.columns, faces);
  for (const row of printed.rows) table.addRow(row);
  const pages = table.finish();

  // Numbered only now that the total is known; the cover, like a book's, carries no number.
  pages.forEach((ink, index) => {
    ink.centredLines(faces.regular, 9, [`Trang ${index + 1}/${pages.length}`], PAGE_WIDTH / 2, MARGIN_BOTTOM / 2, LINE_HEIGHT);
    ink.close();
  });
  return doc.save();
}
