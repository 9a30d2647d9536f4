// Finds where an outgoing draft prints its blank number line ("Số:      /QĐ-UBND") and its blank
// date line ("Hà Nội, ngày      tháng      năm 2026"), so that form fields can be put there before
// the leader signs and filled in afterwards (Decree 30: the number is assigned after signing).
// The page's text is read as printed lines (printedLines.ts), matched as text, and a match is
// traced back to the lines' geometry for the rectangle.
import { COLUMN_BREAK, withPdfjsDocument, withPrintedPage, type PdfjsDocument, type PrintedRun, type TextPlace } from './printedLines.js';

export type { TextPlace, PrintedRun };

/** A found line: where it lies, and what it prints there (taken off the page once a field covers it). */
export type FoundLine = TextPlace & { printed: PrintedRun[] };

export interface NumberDatePlaces {
  /** suffix: what follows the slash as printed, e.g. "QĐ-UBND" ('' if none). */
  number: (FoundLine & { suffix: string }) | null;
  /** place: the locality before "ngày", e.g. "Hà Nội" ('' if none). */
  date: (FoundLine & { place: string }) | null;
}

/** The header of a Decree 30 document sits high on the page; below this share of the height lies the body. */
const HEADER_SHARE = 0.4;

// The patterns run on a line's folded text (no accents, đ → d, lower case; see printedLines.ts),
// so "Số", "SỐ", "Sô" and a "So" from a font with a poor ToUnicode map all match.
/** What a clerk leaves where a figure will go: spaces (or a column gap), dots, an ellipsis, underscores. */
const BLANK = String.raw`[\s._…‥·]*`;
const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}])`;
/** "Số:" then only blanks up to the slash (a figure there means the number is already printed), then the notation. */
const NUMBER_PATTERN = new RegExp(
  String.raw`${NOT_AFTER_WORD}so\s*[:：]${BLANK}\/\s*([\p{L}\p{N}]+(?:[-–/][\p{L}\p{N}]+)*)`,
  'u',
);

/** "ngày … tháng … năm …" with blanks for day and month; the year may be printed, partly printed ("20..") or blank. */
const DATE_PATTERN = new RegExp(
  String.raw`${NOT_AFTER_WORD}ngay${BLANK}thang${BLANK}nam(?![\p{L}])(?:[ \t]*\d{2,4}[._…‥]*|[ \t]*[._…‥]+)?`,
  'u',
);

/**
 * Finds the blank number line and the blank date line of an outgoing draft on page 1 (page 2 only
 * when page 1 has neither, e.g. behind a cover page). A scan without text gives two nulls.
 */
export async function findNumberDatePlaces(pdf: Uint8Array | string): Promise<NumberDatePlaces> {
  return withPdfjsDocument(pdf, async (doc) => {
    const first = await findOnPage(doc, 1);
    if (first.number || first.date || doc.numPages < 2) return first;
    return findOnPage(doc, 2);
  });
}

function findOnPage(doc: PdfjsDocument, pageNumber: number): Promise<NumberDatePlaces> {
  const inHeader = (item: { baseline: number }, page: { height: number }) => item.baseline <= page.height * HEADER_SHARE;
  return withPrintedPage(doc, pageNumber, inHeader, async (page) => {
    let number: NumberDatePlaces['number'] = null;
    let date: NumberDatePlaces['date'] = null;
    for (const line of page.lines) {
      if (number && date) break;
      let numberEnd = -1;
      const numberMatch = NUMBER_PATTERN.exec(line.folded);
      if (numberMatch) numberEnd = numberMatch.index + numberMatch[0].length;
      if (!number && numberMatch) {
        const suffixStart = numberEnd - (numberMatch[1] ?? '').length;
        number = {
          ...(await page.placeOf(line, numberMatch.index, numberEnd)),
          printed: page.runsOf(line, numberMatch.index, numberEnd),
          suffix: line.text.slice(suffixStart, numberEnd),
        };
      }
      if (!date) {
        const dateMatch = DATE_PATTERN.exec(line.folded);
        if (!dateMatch) continue;
        // The place is what precedes "ngày" in the same column, after a number line that the
        // header table happened to print on the same baseline.
        let placeStart = line.text.lastIndexOf(COLUMN_BREAK, dateMatch.index) + 1;
        if (numberMatch && numberEnd <= dateMatch.index) placeStart = Math.max(placeStart, numberEnd);
        const place = line.text.slice(placeStart, dateMatch.index).replace(/[\s,，]+$/u, '').trim();
        const phraseStart = place ? line.text.indexOf(place, placeStart) : dateMatch.index;
        const phraseEnd = dateMatch.index + dateMatch[0].trimEnd().length;
        date = { ...(await page.placeOf(line, phraseStart, phraseEnd)), printed: page.runsOf(line, phraseStart, phraseEnd), place };
      }
    }
    return { number, date };
  });
}
