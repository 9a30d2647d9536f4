// The periodic report as a PDF to sign, number and send like any other document: A4 portrait in
// the form of Decree 30/2020 (the agency and its blank number line "Số:      /BC-…" top left,
// the national heading and the blank date line top right, the title), then the ruled table of
// figures (labels and values from REPORT_TABLE, as the dashboard shows them), how the figures are
// counted, the three charts, the overdue documents, and at the end nơi nhận and the signer's
// block. The number and date lines are left blank on purpose: imported as an outgoing draft, the
// report is numbered after the leader signs, as Decree 30 requires (pdf/numberDatePlaces.ts).
//
// Text is Tinos, embedded as a subset through fontkit 2 (see pdf/fonts.ts), whose ToUnicode map
// keeps every word extractable: a reviewer's search for "87,5%" or a Vietnamese label finds it.
import { PDFDocument, PageSizes, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatDateVn, vnYear } from '../../common/dates.js';
import { REPORT_DEFINITIONS, REPORT_TABLE, formatCount, type ReportFigures } from '../../common/report.js';
import { REPORT_CHART_NAMES, reportChartOption } from '../../common/reportCharts.js';
import { pdfLibFontkit, tinosFontBytes } from '../pdf/fonts.js';
import { Typeface, drawableText, wrapText } from '../pdf/textLayout.js';
import { assertValidFigures, renderChartPng } from './chartImage.js';
import { REPORT_TITLE, reportGeneratedLine, reportPeriodLine } from './reportXlsx.js';

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MM = 72 / 25.4;
// The wider left margin is the binding edge, as on an administrative document (Decree 30).
const MARGIN_LEFT = 25 * MM;
const MARGIN_RIGHT = 15 * MM;
const MARGIN_TOP = 18 * MM;
const MARGIN_BOTTOM = 18 * MM;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

const BODY_SIZE = 11;
const LINE_HEIGHT = 13.5;
const NOTE_SIZE = 9;
// Seven columns across a portrait page: a smaller type keeps names and dates on one line.
const OVERDUE_SIZE = 9.5;
const NOTE_LINE_HEIGHT = 11;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;
const RULE = { thickness: 0.6, color: rgb(0, 0, 0) };

// Laid out at 600 × 300 px and drawn to the width of the text block, so the charts' 10–11 px
// labels print at about 9 pt; twice the pixels keep them sharp on paper.
const CHART_LAYOUT = { width: 600, height: 300, scale: 2 } as const;
const CHART_DRAWN_HEIGHT = (CONTENT_WIDTH * CHART_LAYOUT.height) / CHART_LAYOUT.width;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

const typefaces = new WeakMap<PDFFont, Typeface>();

/** Lines no wider than maxWidth (at least one, so that an empty cell still has its height). */
function wrap(font: PDFFont, size: number, text: string, maxWidth: number): string[] {
  let face = typefaces.get(font);
  if (!face) typefaces.set(font, (face = new Typeface(font)));
  const lines = wrapText(face, size, text, maxWidth);
  return lines.length > 0 ? lines : [''];
}

interface Faces {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

interface Column {
  label: string;
  /** share of the table's width */
  weight: number;
  align: 'left' | 'center' | 'right';
}

interface TableRow {
  cells: string[];
  bold?: boolean;
  /** the second cell spans to the last column (a section heading) */
  span?: boolean;
  centred?: boolean;
}

/** Pages drawn top to bottom, a new one whenever what comes next does not fit. */
class Flow {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    readonly faces: Faces,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(this.page);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  room(): number {
    return this.y - MARGIN_BOTTOM;
  }

  /** Starts a new page unless `height` fits on this one (or this one is still empty). */
  need(height: number): void {
    if (height > this.room() && this.y < PAGE_HEIGHT - MARGIN_TOP) this.newPage();
  }

  text(line: string, x: number, baseline: number, size: number, font: PDFFont): void {
    if (line !== '') this.page.drawText(line, { x, y: baseline, size, font, color: rgb(0, 0, 0) });
  }

  /** Wrapped lines across the text block, left or centred; moves the cursor below them. */
  paragraph(text: string, options: { size?: number; lineHeight?: number; font?: PDFFont; align?: 'left' | 'center'; indent?: number; width?: number } = {}): void {
    const size = options.size ?? BODY_SIZE;
    const lineHeight = options.lineHeight ?? LINE_HEIGHT;
    const font = options.font ?? this.faces.regular;
    const indent = options.indent ?? 0;
    const width = options.width ?? CONTENT_WIDTH - indent;
    for (const line of wrap(font, size, text, width)) {
      this.need(lineHeight);
      const x = options.align === 'center' ? MARGIN_LEFT + indent + (width - font.widthOfTextAtSize(line, size)) / 2 : MARGIN_LEFT + indent;
      this.text(line, x, this.y - size, size, font);
      this.y -= lineHeight;
    }
  }

  gap(height: number): void {
    this.y -= height;
  }

  /** A ruled table; the header row is repeated on every page the table runs onto. */
  table(columns: Column[], rows: TableRow[], size = BODY_SIZE): void {
    const lineHeight = (size * LINE_HEIGHT) / BODY_SIZE;
    // From the bottom of a line's box up to its baseline.
    const descent = lineHeight * 0.26;
    const total = columns.reduce((sum, column) => sum + column.weight, 0);
    const edges = [MARGIN_LEFT];
    for (const column of columns) edges.push((edges[edges.length - 1] as number) + (column.weight / total) * CONTENT_WIDTH);
    edges[edges.length - 1] = MARGIN_LEFT + CONTENT_WIDTH;
    const edge = (i: number) => edges[i] as number;

    const layout = (row: TableRow) => {
      const font = row.bold ? this.faces.bold : this.faces.regular;
      const cells = row.span ? [row.cells[0] ?? '', row.cells[1] ?? ''] : row.cells;
      const bounds = cells.map((_, i): [number, number] => (row.span && i === 1 ? [edge(1), edge(columns.length)] : [edge(i), edge(i + 1)]));
      const lines = cells.map((cell, i) => {
        const [left, right] = bounds[i] as [number, number];
        return wrap(font, size, cell, right - left - 2 * CELL_PAD_X);
      });
      const height = Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * CELL_PAD_Y;
      return { font, lines, bounds, height, aligns: cells.map((_, i) => (row.centred ? 'center' : row.span && i === 1 ? 'left' : (columns[i]?.align ?? 'left'))) };
    };

    const draw = (row: TableRow) => {
      const { font, lines, bounds, height, aligns } = layout(row);
      const top = this.y;
      lines.forEach((cellLines, i) => {
        const [left, right] = bounds[i] as [number, number];
        cellLines.forEach((line, n) => {
          const lineWidth = font.widthOfTextAtSize(line, size);
          const x = aligns[i] === 'center' ? (left + right - lineWidth) / 2 : aligns[i] === 'right' ? right - CELL_PAD_X - lineWidth : left + CELL_PAD_X;
          this.text(line, x, top - CELL_PAD_Y - (n + 1) * lineHeight + descent, size, font);
        });
      });
      const bottom = top - height;
      const line = (x1: number, y1: number, x2: number, y2: number) => this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, ...RULE });
      line(edge(0), top, edge(columns.length), top);
      line(edge(0), bottom, edge(columns.length), bottom);
      for (const [left, right] of bounds) {
        line(left, top, left, bottom);
        line(right, top, right, bottom);
      }
      this.y = bottom;
    };

    // Header labels are centred whatever their column's alignment.
    const header: TableRow = { cells: columns.map((column) => column.label), bold: true, centred: true };
    const headerHeight = layout(header).height;
    const drawHeader = () => draw(header);

    this.need(headerHeight + (rows[0] ? layout(rows[0]).height : 0));
    const rowBoxes = rows.map(layout);
    drawHeader();
    rows.forEach((row, i) => {
      const height = (rowBoxes[i] as { height: number }).height;
      if (height > this.room()) {
        this.newPage();
        drawHeader();
      }
      draw(row);
    });
  }
}

/** What the report's Decree 30 frame says besides the figures: from the agency's settings, or given by the caller. */
export interface ReportForm {
  /** Tên viết tắt of the agency: the number line reads "Số:      /BC-<abbreviation>". */
  abbreviation?: string;
  /** Địa danh before the date; by default read from the agency's name (reportPlace). */
  place?: string;
  /** Quyền hạn (TM., KT., …), chức vụ and họ tên of who signs; by default a People's Committee's chairman, the name left blank. */
  signer?: { competence?: string; position?: string; name?: string };
  /** Nơi nhận, one a line, as printed after "- ". */
  recipients?: readonly string[];
}

/** The trích yếu under "BÁO CÁO". */
export const REPORT_SUBJECT = 'Tình hình xử lý văn bản điện tử';
const DEFAULT_RECIPIENTS = ['Cơ quan cấp trên (để báo cáo);', 'Lưu: VT.'];

/**
 * Địa danh as Decree 30 wants it (the administrative unit the agency sits in), when the agency's
 * name ends with one: "UBND xã Tân Lập" → "Tân Lập", "Sở Y tế tỉnh Hà Giang" → "Hà Giang". Else
 * empty: the date line then starts with "ngày", and the clerk writes the place in by hand.
 */
export function reportPlace(agencyName: string): string {
  const match = /(?:^|\s)(?:xã|phường|thị trấn|thị xã|huyện|quận|thành phố|tỉnh)\s+(\S.*)$/iu.exec(drawableText(agencyName).trim());
  return match?.[1]?.trim() ?? '';
}

/** A People's Committee signs as a collective (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH); another agency by its head. */
function defaultSigner(agencyName: string): { competence: string; position: string; name: string } {
  return /^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\b/iu.test(agencyName.trim().normalize('NFC'))
    ? { competence: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: '' }
    : { competence: '', position: 'THỦ TRƯỞNG CƠ QUAN', name: '' };
}

/** Left and right columns of the heading and the closing (Decree 30, Appendix I: the two header cells). */
const LEFT_COLUMN = 78 * MM;
const RIGHT_X = MARGIN_LEFT + LEFT_COLUMN;
const RIGHT_COLUMN = CONTENT_WIDTH - LEFT_COLUMN;

/** Text centred on a column at a baseline. */
function centred(flow: Flow, text: string, left: number, width: number, baseline: number, size: number, font: PDFFont): number {
  const lineWidth = font.widthOfTextAtSize(text, size);
  flow.text(text, left + (width - lineWidth) / 2, baseline, size, font);
  return lineWidth;
}

/**
 * A rule under a line of text, clear of its descenders and of the dots under ạ, ệ, ọ: a fifth of
 * the size below the baseline reaches the lowest of them, and a little air below that.
 */
function ruleBelow(flow: Flow, baseline: number, size: number, centre: number, width: number): number {
  const y = baseline - size * 0.3 - 1.5;
  flow.page.drawLine({ start: { x: centre - width / 2, y }, end: { x: centre + width / 2, y }, thickness: 0.75 });
  return y;
}

/** A short rule centred under the line of `size` just drawn by paragraph() (its baseline is `size` below the line's top). */
function underline(flow: Flow, width: number, size: number, lineHeight: number): void {
  const baseline = flow.y + lineHeight - size;
  flow.y = ruleBelow(flow, baseline, size, MARGIN_LEFT + CONTENT_WIDTH / 2, width) - 8;
}

/** The two header cells: the agency and its number line; the national heading and the date line on the number line's baseline. */
function drawHeading(flow: Flow, figures: ReportFigures, form: ReportForm): void {
  const { regular, bold, italic } = flow.faces;
  const top = flow.y;

  const agencySize = 12.5;
  const agencyLines = wrap(bold, agencySize, drawableText(figures.agency.name.trim()).toLocaleUpperCase('vi-VN'), LEFT_COLUMN - 6);
  let baseline = top - agencySize;
  let widest = 0;
  for (const line of agencyLines) {
    widest = Math.max(widest, centred(flow, line, MARGIN_LEFT, LEFT_COLUMN, baseline, agencySize, bold));
    baseline -= agencySize + 3;
  }
  const lastAgencyBaseline = baseline + agencySize + 3;
  const leftRule = widest > 0 ? ruleBelow(flow, lastAgencyBaseline, agencySize, MARGIN_LEFT + LEFT_COLUMN / 2, Math.max(30, widest / 3)) : lastAgencyBaseline;

  const nationalSize = Math.min(12.5, (12.5 * (RIGHT_COLUMN - 4)) / bold.widthOfTextAtSize(NATIONAL_NAME, 12.5));
  centred(flow, NATIONAL_NAME, RIGHT_X, RIGHT_COLUMN, top - nationalSize, nationalSize, bold);
  const mottoBaseline = top - nationalSize - 16;
  const mottoWidth = centred(flow, NATIONAL_MOTTO, RIGHT_X, RIGHT_COLUMN, mottoBaseline, 13, bold);
  const rightRule = ruleBelow(flow, mottoBaseline, 13, RIGHT_X + RIGHT_COLUMN / 2, mottoWidth);

  // The number and the date on one baseline, under the lower of the two rules; both blank until numbering.
  const lineBaseline = Math.min(leftRule, rightRule) - 20;
  const abbreviation = drawableText(form.abbreviation ?? '').trim();
  centred(flow, `Số:${NUMBER_BLANK}/BC${abbreviation ? `-${abbreviation}` : ''}`, MARGIN_LEFT, LEFT_COLUMN, lineBaseline, 13, regular);
  const place = drawableText(form.place ?? reportPlace(figures.agency.name)).trim();
  const date = `ngày${DATE_BLANK}tháng${DATE_BLANK}năm ${vnYear(new Date(figures.generatedAt))}`;
  centred(flow, place ? `${place}, ${date}` : date, RIGHT_X, RIGHT_COLUMN, lineBaseline, 13, italic);
  flow.y = lineBaseline - 28;
}

/** Nơi nhận on the left, the signer's block on the right, kept together on one page. */
function drawClosing(flow: Flow, figures: ReportFigures, form: ReportForm): void {
  const { regular, bold } = flow.faces;
  const signer = { ...defaultSigner(figures.agency.name), ...form.signer };
  const recipients = (form.recipients ?? DEFAULT_RECIPIENTS).map((r) => drawableText(r).trim()).filter(Boolean);
  const recipientLines = recipients.flatMap((r) => wrap(regular, 11, `- ${r}`, LEFT_COLUMN - 6));
  const signerLines = [signer.competence, signer.position].map((l) => drawableText(l ?? '').trim().toLocaleUpperCase('vi-VN')).filter(Boolean);
  // Room for the signature (and the seal's signature, which the agency's goes beside): about 3 cm.
  const SIGNATURE_ROOM = 85;
  const height = Math.max(14 + recipientLines.length * 13, signerLines.length * 17 + SIGNATURE_ROOM + 17) + 24;
  flow.gap(20);
  flow.need(height);
  const top = flow.y;

  flow.text('Nơi nhận:', MARGIN_LEFT, top - 12, 12, bold);
  recipientLines.forEach((line, i) => flow.text(line, MARGIN_LEFT, top - 12 - 14 * (i + 1), 11, regular));

  let baseline = top - 13;
  for (const line of signerLines) {
    centred(flow, line, RIGHT_X, RIGHT_COLUMN, baseline, 13, bold);
    baseline -= 17;
  }
  const name = drawableText(signer.name ?? '').trim();
  if (name) centred(flow, name, RIGHT_X, RIGHT_COLUMN, baseline - SIGNATURE_ROOM, 13, bold);
  flow.y = top - height;
}

const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
// Blanks where the number, the day and the month are written at numbering (numberDatePlaces.ts finds them).
const NUMBER_BLANK = ' '.repeat(12);
const DATE_BLANK = ' '.repeat(8);

function figureRows(figures: ReportFigures): TableRow[] {
  const rows: TableRow[] = [];
  let section = 0;
  let item = 0;
  for (const entry of REPORT_TABLE) {
    if (entry.section) {
      rows.push({ cells: [ROMAN[section] ?? String(section + 1), entry.vi], bold: true, span: true });
      section += 1;
      item = 0;
    } else {
      item += 1;
      rows.push({ cells: [String(item), entry.vi, entry.value?.(figures, 'vi') ?? ''] });
    }
  }
  return rows;
}

export async function renderReportPdf(figures: ReportFigures, form: ReportForm = {}): Promise<Uint8Array> {
  assertValidFigures(figures);
  const charts = REPORT_CHART_NAMES.map((name) => renderChartPng(reportChartOption(name, figures, 'vi'), CHART_LAYOUT));

  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const faces: Faces = {
    regular: await doc.embedFont(tinosFontBytes('regular'), { subset: true }),
    bold: await doc.embedFont(tinosFontBytes('bold'), { subset: true }),
    italic: await doc.embedFont(tinosFontBytes('italic'), { subset: true }),
  };
  doc.setTitle(`${REPORT_TITLE} – ${drawableText(figures.agency.name.trim())} – ${reportPeriodLine(figures)}`);
  doc.setLanguage('vi-VN');
  doc.setCreator('eOffice');

  const flow = new Flow(doc, faces);
  drawHeading(flow, figures, form);
  flow.paragraph('BÁO CÁO', { size: 14, lineHeight: 18, font: faces.bold, align: 'center' });
  flow.paragraph(REPORT_SUBJECT, { size: 14, lineHeight: 18, font: faces.bold, align: 'center' });
  flow.paragraph(reportPeriodLine(figures), { size: 13, lineHeight: 17, align: 'center' });
  underline(flow, 40 * MM, 13, 17);
  flow.paragraph(reportGeneratedLine(figures), { align: 'center', size: 10, lineHeight: 13 });
  flow.gap(10);

  flow.table(
    [
      { label: 'STT', weight: 1.2, align: 'center' },
      { label: 'Chỉ tiêu', weight: 9, align: 'left' },
      { label: 'Số liệu', weight: 3.6, align: 'right' },
    ],
    figureRows(figures),
  );
  flow.gap(8);
  flow.paragraph('Ghi chú:', { size: NOTE_SIZE, lineHeight: NOTE_LINE_HEIGHT, font: faces.bold });
  for (const note of REPORT_DEFINITIONS.vi) flow.paragraph(`- ${note}`, { size: NOTE_SIZE, lineHeight: NOTE_LINE_HEIGHT });

  flow.gap(12);
  for (const png of charts) {
    flow.need(CHART_DRAWN_HEIGHT + 8);
    const image = await doc.embedPng(png);
    flow.page.drawImage(image, { x: MARGIN_LEFT, y: flow.y - CHART_DRAWN_HEIGHT, width: CONTENT_WIDTH, height: CHART_DRAWN_HEIGHT });
    flow.y -= CHART_DRAWN_HEIGHT + 12;
  }

  flow.gap(6);
  flow.need(4 * LINE_HEIGHT);
  flow.paragraph('VĂN BẢN ĐẾN QUÁ HẠN GIẢI QUYẾT', { size: 12, lineHeight: 16, font: faces.bold, align: 'center' });
  const listed = figures.overdue.documents.length;
  flow.paragraph(
    listed < figures.overdue.count
      ? `Tại thời điểm lập báo cáo: ${formatCount(figures.overdue.count)} văn bản; dưới đây là ${formatCount(listed)} văn bản quá hạn lâu nhất.`
      : `Tại thời điểm lập báo cáo: ${formatCount(figures.overdue.count)} văn bản.`,
    { align: 'center', size: 10, lineHeight: 13 },
  );
  flow.gap(6);
  if (listed > 0) {
    flow.table(
      [
        // Wide enough for a notation such as 1234/QĐ-UBND on one line.
        { label: 'STT', weight: 0.95, align: 'center' },
        { label: 'Số đến', weight: 1.1, align: 'center' },
        { label: 'Số, ký hiệu', weight: 2.7, align: 'left' },
        { label: 'Trích yếu', weight: 4.4, align: 'left' },
        { label: 'Người xử lý', weight: 2.5, align: 'left' },
        { label: 'Hạn giải quyết', weight: 1.8, align: 'center' },
        { label: 'Số ngày quá hạn', weight: 1.3, align: 'right' },
      ],
      figures.overdue.documents.map((document, i) => ({
        cells: [
          String(i + 1),
          document.incomingNumber === null ? '' : String(document.incomingNumber),
          document.notation,
          document.subject,
          document.handlerName,
          formatDateVn(document.due),
          formatCount(document.daysOverdue),
        ],
      })),
      OVERDUE_SIZE,
    );
  } else {
    flow.paragraph('Không có văn bản quá hạn.', { size: 10, lineHeight: 13 });
  }

  if (figures.overdue.byHandler.length > 0) {
    flow.gap(10);
    flow.need(3 * LINE_HEIGHT);
    flow.paragraph('Theo người xử lý', { font: faces.bold });
    flow.gap(3);
    flow.table(
      [
        { label: 'STT', weight: 0.9, align: 'center' },
        { label: 'Người xử lý', weight: 5, align: 'left' },
        { label: 'Đơn vị', weight: 5, align: 'left' },
        { label: 'Số văn bản quá hạn', weight: 2.2, align: 'right' },
      ],
      figures.overdue.byHandler.map((handler, i) => ({ cells: [String(i + 1), handler.name, handler.unit, formatCount(handler.count)] })),
    );
  }

  drawClosing(flow, figures, form);

  const pages = flow.pages;
  pages.forEach((page, index) => {
    const label = `Trang ${index + 1}/${pages.length}`;
    page.drawText(label, { x: (PAGE_WIDTH - faces.regular.widthOfTextAtSize(label, 9)) / 2, y: MARGIN_BOTTOM / 2, size: 9, font: faces.regular });
  });
  return doc.save({ useObjectStreams: true });
}
