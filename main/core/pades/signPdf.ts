// Signs a PDF as a PAdES baseline signature (ETSI EN 319 142-1), always as an incremental
// update. The steps: read only the document's structure (pdfStructure.ts), add a signature
// field and its widget to the page, append the new objects with a /Contents placeholder, hash
// the two byte ranges around the placeholder, ask the key for a CMS signature over that hash and
// write it into the placeholder. The signed file is the original bytes followed by the appended part.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { PDFDict, PDFHexString, PDFName, PDFNumber } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { fileSource, type PdfSource } from '../pdf/source.js';
import { PdfRevision } from './revision.js';
import { pdfWorker } from '../pdfWorker/pdfWorker.js';
import { isStructureKnown, rememberStructure } from './knownStructures.js';
import type { SigningKey } from '../token/signingKey.js';
import { addTimestampToken, buildSignedData, signatureValue } from './cms.js';
import { requestTimestamp, type TimestampOptions } from './timestamp.js';
import { placeAppearance, type AppearanceSpec } from './appearance.js';

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
  /** Sign into this empty signature field (prepared by an earlier signer) instead of a new one. */
  fieldName?: string;
  /** When the document lacks `fieldName`: refuse (the default), or sign in a new field with `appearance`. */
  whenFieldMissing?: 'refuse' | 'new-field';
  /** What later revisions may do without invalidating this signature. */
  permissions?: SignaturePermissions;
  /** Empty signature fields to add in the same revision, for the signatures that must follow. */
  emptySignatureFields?: { name: string; page: number; rect: [number, number, number, number] }[];
  /**
   * The source begins with this stored file, and any bytes after it were written by eOffice in the
   * same step (the filled number and date before the seal). When this process knows the file's
   * structure (knownStructures.ts) and the bytes hashed are that file, the worker's check is skipped.
   */
  knownPrefix?: { sha256: string; bytes: number };
}

export interface SignaturePermissions {
  /**
   * Certify the document (DocMDP P 2): later form filling and signing stay permitted. Only a
   * document's first signature can certify (ISO 32000-1 §12.8.2.2): 'if-first' leaves an already
   * signed document uncertified; true refuses it.
   */
  certify?: boolean | 'if-first';
  /** Lock every form field except these (FieldMDP /Exclude). */
  lockAllExcept?: string[];
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

function pdfNameList(names: readonly string[]): string {
  return `[${names.map(textString).join(' ')}]`;
}

/**
 * The signature's reference dictionaries (ISO 32000-1 §12.8.2): DocMDP makes it a certification
 * signature that permits form filling and further signatures (P 2); FieldMDP locks every form
 * field except those named, so a verifier can tell the permitted later steps from tampering.
 */
function referenceEntries(permissions: SignaturePermissions | undefined): string {
  if (!permissions) return '';
  const refs: string[] = [];
  if (permissions.certify) refs.push('<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>');
  if (permissions.lockAllExcept) {
    refs.push(`<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /Exclude /Fields ${pdfNameList(permissions.lockAllExcept)} /V /1.2 >> >>`);
  }
  return refs.length ? ` /Reference [${refs.join(' ')}]` : '';
}

/** The bytes to append to `source` to sign it. */
/** What signing a source gives: the update to append, and the SHA-256 of the source followed by it. */
export type SignedUpdate = SigningOutcome & { appended: Uint8Array; sha256: string };

export async function signPdfSource(source: PdfSource, options: SignPdfOptions): Promise<SignedUpdate> {
  const fileName = options.fileName ?? 'document.pdf';
  // The document may be untrusted (a received one counter-signed): its structure is read first
  // in the PDF worker, where a file made to stall its reader is stopped within the budget. This
  // thread hashes the document's bytes meanwhile: the hash does not depend on their structure,
  // and for a large scan it takes longer than the worker.
  const known = options.knownPrefix && options.knownPrefix.bytes <= source.size && isStructureKnown(options.knownPrefix.sha256) ? options.knownPrefix : null;
  const checkStructure = () => pdfWorker().run('signingStructure', { origin: source.origin, fileName }, fileName);
  const structureChecked = known ? null : checkStructure();
  const prefix = createHash('sha256');
  // The digest of the known file's bytes, taken on the way: the source must really begin with it.
  let knownDigest: string | null = known && known.bytes === 0 ? prefix.copy().digest('hex') : null;
  let hashed = 0;
  source.forEachChunk((chunk) => {
    if (known && knownDigest === null && hashed + chunk.length >= known.bytes) {
      const split = known.bytes - hashed;
      prefix.update(chunk.subarray(0, split));
      knownDigest = prefix.copy().digest('hex');
      prefix.update(chunk.subarray(split));
    } else prefix.update(chunk);
    hashed += chunk.length;
  });
  if (structureChecked) await structureChecked;
  else if (knownDigest !== known!.sha256) await checkStructure();
  const revision = new PdfRevision(source, fileName);
  const { doc } = revision;
  const signingTime = options.signingTime ?? new Date();
  const existingFields = revision.fields();
  const alreadySigned = [...existingFields.values()].some((f) => f.dict.lookup(PDFName.of('FT')) === PDFName.of('Sig') && f.dict.get(PDFName.of('V')));
  if (options.permissions?.certify === true && alreadySigned) {
    throw new AppError('INVALID_INPUT', `${fileName} is already signed; only its first signature can certify it.`, { fileName });
  }
  const permissions = options.permissions && { ...options.permissions, certify: Boolean(options.permissions.certify) && !alreadySigned };

  // Into the empty signature field prepared for it, or into a new one.
  const target = options.fieldName ? existingFields.get(options.fieldName) : undefined;
  if (options.fieldName && !target && options.whenFieldMissing !== 'new-field') {
    throw new AppError('INVALID_INPUT', `${fileName} has no signature field "${options.fieldName}".`, { fileName });
  }
  if (target && (target.dict.lookup(PDFName.of('FT')) !== PDFName.of('Sig') || target.dict.get(PDFName.of('V')))) {
    throw new AppError('INVALID_INPUT', `The field "${options.fieldName}" of ${fileName} is not an empty signature field.`, { fileName });
  }
  let spec: AppearanceSpec = options.appearance ?? { kind: 'invisible' };
  if (target && (spec.kind === 'signer' || spec.kind === 'agency')) spec = { ...spec, page: target.pageIndex + 1, rect: target.rect };
  const placed = placeAppearance(spec, signingTime);
  const page = target ? revision.page(target.pageIndex + 1) : revision.page(placed?.page ?? 1);

  const sigRef = doc.context.nextRef();
  // The signature dictionary is written by hand so that the placeholders sit at known places.
  const reserved = options.reservedBytes ?? DEFAULT_RESERVED_BYTES;
  const sigDict =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} ` +
    `/Contents <${'0'.repeat(reserved * 2)}> /M (${pdfDate(signingTime)})` +
    (options.reason ? ` /Reason ${textString(options.reason)}` : '') +
    (options.location ? ` /Location ${textString(options.location)}` : '') +
    referenceEntries(permissions) +
    ' >>';
  revision.addRaw(sigRef, new TextEncoder().encode(sigDict));

  const { width: pageWidth, height: pageHeight } = page.getSize();
  const [x, y, w, h] = target ? target.rect : placed ? placed.rect(pageWidth, pageHeight) : [0, 0, 0, 0];
  const drawn = placed ? await placed.draw(doc, w, h) : { operators: [], fonts: {}, images: {} };
  const resources = doc.context.obj({
    Font: Object.fromEntries(Object.entries(drawn.fonts).map(([name, font]) => [name, font.ref])),
    XObject: Object.fromEntries(Object.entries(drawn.images).map(([name, image]) => [name, image.ref])),
  });
  const content = new TextEncoder().encode(drawn.operators.map((op) => op.toString()).join('\n'));
  const apRef = doc.context.register(doc.context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, w, h], Resources: resources }));

  if (target) {
    const field = target.dict.clone(doc.context);
    field.set(PDFName.of('V'), sigRef);
    revision.replaceField(target, field, apRef);
  } else {
    const fieldName = revision.freeFieldName('Signature');
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
    if (permissions?.lockAllExcept) {
      doc.context.lookup(widgetRef, PDFDict).set(PDFName.of('Lock'), doc.context.obj({ Type: 'SigFieldLock', Action: 'Exclude', Fields: permissions.lockAllExcept.map((n) => PDFHexString.fromText(n)) }));
    }
    revision.addField(page, widgetRef);
  }
  // A field prepared already (by an earlier signature of this document) is kept as it is.
  for (const prepared of (options.emptySignatureFields ?? []).filter((f) => !existingFields.has(f.name))) {
    const fieldPage = revision.page(prepared.page);
    const [fx, fy, fw, fh] = prepared.rect;
    const widgetRef = doc.context.register(
      doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFHexString.fromText(prepared.name), F: 132, Rect: [fx, fy, fx + fw, fy + fh], P: fieldPage.ref }),
    );
    revision.addField(fieldPage, widgetRef);
  }
  revision.acroForm().set(PDFName.of('SigFlags'), PDFNumber.of(3));
  if (permissions?.certify) revision.catalog().set(PDFName.of('Perms'), doc.context.obj({ DocMDP: sigRef }));

  const originalSize = source.size;
  const { appended, objectOffsets } = await revision.build();
  const sigObjectAt = objectOffsets.get(sigRef.objectNumber)! - originalSize;
  const latin1 = new TextDecoder('latin1');
  const sigText = latin1.decode(appended.subarray(sigObjectAt, sigObjectAt + sigDict.length + 64));
  const contentsStart = originalSize + sigObjectAt + sigText.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + reserved * 2 + 2;
  const total = originalSize + appended.length;
  const byteRange = `/ByteRange [0 ${contentsStart} ${contentsEnd} ${total - contentsEnd}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  const byteRangeAt = sigObjectAt + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  appended.set(new TextEncoder().encode(byteRange), byteRangeAt);

  // The signed bytes and the whole signed file begin alike (all of the original, then the update
  // up to /Contents): that prefix is hashed once and serves both the signature's digest and the
  // new file's SHA-256, its name in the store.
  prefix.update(appended.subarray(0, contentsStart - originalSize));
  const digest = prefix.copy().update(appended.subarray(contentsEnd - originalSize)).digest();
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
  const sha256 = prefix.update(appended.subarray(contentsStart - originalSize)).digest('hex');
  // Read here whole (the source) and written here (the update): the next signature skips the worker.
  rememberStructure(sha256);
  return { appended, sha256, ...outcome };
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
  let signed: SignedUpdate;
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
