// Signs a PDF as a PAdES baseline signature (ETSI EN 319 142-1), always as an incremental
// update. The steps: read only the document's structure (pdfStructure.ts), add a signature
// field and its widget to the page, append the new objects with a /Contents placeholder, hash
// the two byte ranges around the placeholder, ask the key for a CMS signature over that hash and
// write it into the placeholder. The signed file is the original bytes followed by the appended part.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { assertPdfFraming } from '../pdf/framing.js';
import { fileSource, type PdfSource } from '../pdf/source.js';
import { findStartxref, PdfStructure } from './pdfStructure.js';
import type { SigningKey } from '../token/signingKey.js';
import { addTimestampToken, buildSignedData, signatureValue } from './cms.js';
import { requestTimestamp, type TimestampOptions } from './timestamp.js';
import { placeAppearance, type AppearanceSpec } from './appearance.js';
import { incrementalSection, type NewObject, type TrailerFacts } from './incremental.js';

export interface SignPdfOptions {
  key: SigningKey;
  /** When the signature is made; goes in /M (the CMS carries no signing-time, as B-B requires). */
  signingTime?: Date;
  reason?: string;
  location?: string;
  /** What the signature looks like on the page; invisible by default. */
  appearance?: AppearanceSpec;
  /** An RFC 3161 timestamp authority: with it the signature is PAdES B-T when the TSA answers. */
  timestamp?: TimestampOptions;
  /** Bytes reserved for the CMS: room for a long chain and a timestamp token. */
  reservedBytes?: number;
  fileName?: string;
}

export const DEFAULT_RESERVED_BYTES = 24_000;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';

/** What signing produced: the PAdES level reached, and why not B-T when a TSA was asked. */
export interface SigningOutcome {
  level: 'B-B' | 'B-T';
  /** Set when a timestamp was wanted but the TSA could not give one: the signature is B-B. */
  timestampProblem?: string;
}


function pdfDate(instant: Date): string {
  // Official time is UTC+07:00 all year.
  const t = new Date(instant.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}+07'00'`;
}

function textString(text: string): string {
  return PDFHexString.fromText(text).toString();
}

/** Reads the structure the signer needs; refuses what is not a whole, unencrypted PDF. */
function openForSigning(source: PdfSource, fileName: string): { doc: PDFDocument; structure: PdfStructure; trailer: TrailerFacts } {
  assertPdfFraming(source, fileName);
  try {
    const startxref = findStartxref(source);
    const structure = new PdfStructure(source, startxref);
    if (structure.trailer.get(PDFName.of('Encrypt'))) throw new AppError('ENCRYPTED_PDF', `${fileName} is encrypted and cannot be signed.`, { fileName });
    const doc = structure.document();
    const size = structure.trailer.lookup(PDFName.of('Size'));
    const info = structure.trailer.get(PDFName.of('Info'));
    const id = structure.trailer.get(PDFName.of('ID'));
    const trailer: TrailerFacts = {
      startxref,
      xrefStream: new TextDecoder('latin1').decode(source.read(startxref, 4)) !== 'xref',
      size: size instanceof PDFNumber ? size.asNumber() : structure.largestObjectNumber + 1,
      root: String(doc.context.trailerInfo.Root),
      info: info ? String(info) : null,
      id: id ? String(id) : null,
    };
    return { doc, structure, trailer };
  } catch (error) {
    if (error instanceof AppError) throw error.details?.fileName ? error : new AppError(error.code, `${fileName}: ${error.message}`, { ...error.details, fileName });
    throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF (${(error as Error).message}).`, { fileName });
  }
}

/** An array entry that is either inline or an indirect array object, with the new item appended. */
function appendToArray(doc: PDFDocument, holder: PDFDict, key: string, item: PDFObject, changed: NewObject[]): void {
  const value = holder.get(PDFName.of(key));
  if (value instanceof PDFRef) {
    const array = doc.context.lookup(value, PDFArray).clone(doc.context);
    array.push(item);
    changed.push({ num: value.objectNumber, gen: value.generationNumber, body: array });
    return;
  }
  const array = value instanceof PDFArray ? value.clone(doc.context) : doc.context.obj([]);
  array.push(item);
  holder.set(PDFName.of(key), array);
}

/**
 * Names of the top-level form fields. Read by hand: pdf-lib's getForm() would create an
 * AcroForm object in the document as a side effect, which must not happen to a file being
 * updated incrementally.
 */
function existingFieldNames(doc: PDFDocument): Set<string> {
  const names = new Set<string>();
  const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'));
  if (!(acroForm instanceof PDFDict)) return names;
  const fields = acroForm.lookup(PDFName.of('Fields'));
  if (!(fields instanceof PDFArray)) return names;
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookup(i);
    const name = field instanceof PDFDict ? field.lookup(PDFName.of('T')) : undefined;
    if (name instanceof PDFString || name instanceof PDFHexString) names.add(name.decodeText());
  }
  return names;
}

/** The bytes to append to `source` to sign it. */
export async function signPdfSource(source: PdfSource, options: SignPdfOptions): Promise<SigningOutcome & { appended: Uint8Array }> {
  const fileName = options.fileName ?? 'document.pdf';
  const { doc, structure, trailer } = openForSigning(source, fileName);
  const signingTime = options.signingTime ?? new Date();
  // New objects, whether made here or by pdf-lib (fonts, images), are numbered after every
  // number the file has used, and all of them go into the update.
  doc.context.largestObjectNumber = Math.max(trailer.size - 1, structure.largestObjectNumber, doc.context.largestObjectNumber);
  const firstNew = doc.context.largestObjectNumber + 1;
  const changed: NewObject[] = [];

  const placed = placeAppearance(options.appearance ?? { kind: 'invisible' }, signingTime);
  const pages = doc.getPages();
  const pageIndex = (placed?.page ?? 1) - 1;
  const page = pages[pageIndex];
  if (!page) throw new AppError('INVALID_INPUT', `${fileName} has no page ${pageIndex + 1} (it has ${pages.length}).`, { fileName });

  const sigRef = doc.context.nextRef();
  const names = existingFieldNames(doc);
  let fieldName = 'Signature1';
  for (let i = 2; names.has(fieldName); i++) fieldName = `Signature${i}`;

  // The signature dictionary is written by hand so that the placeholders sit at known places.
  const reserved = options.reservedBytes ?? DEFAULT_RESERVED_BYTES;
  const sigDict =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} ` +
    `/Contents <${'0'.repeat(reserved * 2)}> /M (${pdfDate(signingTime)})` +
    (options.reason ? ` /Reason ${textString(options.reason)}` : '') +
    (options.location ? ` /Location ${textString(options.location)}` : '') +
    ' >>';
  changed.push({ num: sigRef.objectNumber, body: new TextEncoder().encode(sigDict) });

  const { width: pageWidth, height: pageHeight } = page.getSize();
  const [x, y, w, h] = placed ? placed.rect(pageWidth, pageHeight) : [0, 0, 0, 0];
  const drawn = placed ? await placed.draw(doc, w, h) : { operators: [], fonts: {}, images: {} };
  const resources = doc.context.obj({
    Font: Object.fromEntries(Object.entries(drawn.fonts).map(([name, font]) => [name, font.ref])),
    XObject: Object.fromEntries(Object.entries(drawn.images).map(([name, image]) => [name, image.ref])),
  });
  const content = new TextEncoder().encode(drawn.operators.map((op) => op.toString()).join('\n'));
  const apRef = doc.context.register(doc.context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, w, h], Resources: resources }));

  const widgetRef = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFHexString.fromText(fieldName),
      V: sigRef,
      F: 132, // Print + Locked: the appearance prints and cannot be moved
      Rect: [x, y, x + w, y + h],
      P: page.ref,
      AP: { N: apRef },
    }),
  );
  // Fonts and images are written out (subset, compressed) only when flushed.
  await doc.flush();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew && ref !== sigRef) changed.push({ num: ref.objectNumber, body: object });
  }

  const pageDict = page.node.clone(doc.context);
  appendToArray(doc, pageDict, 'Annots', widgetRef, changed);
  if (!changed.some((c) => c.num === page.ref.objectNumber)) changed.push({ num: page.ref.objectNumber, gen: page.ref.generationNumber, body: pageDict });

  const catalogRef = doc.context.trailerInfo.Root as PDFRef;
  const acroFormValue = doc.catalog.get(PDFName.of('AcroForm'));
  if (acroFormValue instanceof PDFRef) {
    const acroForm = doc.context.lookup(acroFormValue, PDFDict).clone(doc.context);
    appendToArray(doc, acroForm, 'Fields', widgetRef, changed);
    acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    changed.push({ num: acroFormValue.objectNumber, gen: acroFormValue.generationNumber, body: acroForm });
  } else {
    const catalog = doc.catalog.clone(doc.context);
    const acroForm = acroFormValue instanceof PDFDict ? acroFormValue.clone(doc.context) : doc.context.obj({});
    appendToArray(doc, acroForm, 'Fields', widgetRef, changed);
    acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    catalog.set(PDFName.of('AcroForm'), acroForm);
    changed.push({ num: catalogRef.objectNumber, gen: catalogRef.generationNumber, body: catalog });
  }

  const originalSize = source.size;
  const lastByte = source.read(originalSize - 1, 1)[0] ?? 0;
  const { bytes: appended, objectOffsets } = incrementalSection({ size: originalSize, lastByte }, trailer, changed);
  const sigObjectAt = objectOffsets.get(sigRef.objectNumber)! - originalSize;
  const latin1 = new TextDecoder('latin1');
  const sigText = latin1.decode(appended.subarray(sigObjectAt, sigObjectAt + sigDict.length + 64));
  const contentsStart = originalSize + sigObjectAt + sigText.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + reserved * 2 + 2;
  const total = originalSize + appended.length;
  const byteRange = `/ByteRange [0 ${contentsStart} ${contentsEnd} ${total - contentsEnd}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  const byteRangeAt = sigObjectAt + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  appended.set(new TextEncoder().encode(byteRange), byteRangeAt);

  const hash = createHash('sha256');
  source.forEachChunk((chunk) => hash.update(chunk));
  const digest = hash.update(appended.subarray(0, contentsStart - originalSize)).update(appended.subarray(contentsEnd - originalSize)).digest();
  let cms = await buildSignedData(options.key, new Uint8Array(digest));
  const outcome: SigningOutcome = { level: 'B-B' };
  if (options.timestamp) {
    const stamp = await requestTimestamp(signatureValue(cms), options.timestamp);
    if (stamp.status === 'stamped') {
      cms = addTimestampToken(cms, stamp.token);
      outcome.level = 'B-T';
    } else outcome.timestampProblem = stamp.reason;
  }
  if (cms.length > reserved) {
    throw new AppError('INTERNAL', `The signature (${cms.length} bytes) does not fit the ${reserved} bytes reserved for it.`);
  }
  appended.set(new TextEncoder().encode(Buffer.from(cms).toString('hex')), contentsStart - originalSize + 1);
  return { appended, ...outcome };
}

/**
 * Signs `inputPath` into `outputPath`. The output appears whole or not at all (temporary file,
 * fsync, rename); the input is only read.
 */
export async function signPdfFile(inputPath: string, outputPath: string, options: Omit<SignPdfOptions, 'fileName'>): Promise<SigningOutcome> {
  if (path.resolve(inputPath) === path.resolve(outputPath)) {
    throw new AppError('INVALID_INPUT', 'The signed copy must be written to another file than the original.');
  }
  const input = fs.openSync(inputPath, 'r');
  let signed: SigningOutcome & { appended: Uint8Array };
  try {
    signed = await signPdfSource(fileSource(input), { ...options, fileName: path.basename(inputPath) });
  } finally {
    fs.closeSync(input);
  }
  const tmp = path.join(path.dirname(outputPath), `.${path.basename(outputPath)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    // The copy goes through the kernel (copy_file_range, or a reflink where the file system has
    // them): the original's bytes never pass through this process again.
    fs.copyFileSync(inputPath, tmp, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(tmp, 'a');
    try {
      writeAll(fd, signed.appended);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, outputPath);
    return { level: signed.level, ...(signed.timestampProblem ? { timestampProblem: signed.timestampProblem } : {}) };
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}
