// Verifies the signatures of a PDF the way a clerk needs it for an incoming document: for each
// signature, whether the bytes it covers are intact and the CMS signature over them holds, who
// signed and when, and what was changed after it (verifyChanges.ts). It is a report, not a yes
// or no; trust in the signer's CA and revocation are judged elsewhere.
//
// The file is never loaded whole: the structure is read where needed, and every signature's
// ranges are hashed together in one streaming pass over the file (the source's chunks of 1 MB,
// each sliced to the ranges that cover it). One pass rather than one per signature: a Hanoi
// document with seven signatures is read once, and a file source streams through a single
// reused buffer, where ranged reads would each allocate (a 100 MB file left some 33 MB of such
// garbage behind before the collector caught up).
import { constants, createHash, createVerify, publicDecrypt, verify as verifySignature, X509Certificate, type KeyObject, type Verify } from 'node:crypto';
import * as asn1 from 'asn1js';
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';
import { assertPdfFraming } from '../pdf/framing.js';
import type { PdfSource } from '../pdf/source.js';
import { certificateFacts } from '../token/certificate.js';
import { CMS_OIDS, cmsNode, parseSignedDataNode, type ParsedSignedData } from './cms.js';
import { ChangeAnalysis, nameOf, readRevisions, textOf, type FieldLock, type FormField, type LaterChanges, type RevisionView, type SignaturePolicy } from './verifyChanges.js';

export type { ChangeNote, LaterChanges } from './verifyChanges.js';

export interface SignatureCheck {
  fieldName: string;
  /** Byte offset where the signed revision ends (ByteRange end). */
  revisionEnd: number;
  coversWholeDocument: boolean;
  /** ETSI.CAdES.detached, adbe.pkcs7.detached, adbe.pkcs7.sha1, ETSI.RFC3161 … */
  subFilter: string;
  /** From /M, or the CMS signing-time attribute when there is no /M; ISO 8601 with +07:00. */
  signingTime: string | null;
  signer: {
    subject: string;
    commonName: string | null;
    serialNumber: string;
    fingerprint256: string;
    issuer: string;
    notBefore: string;
    notAfter: string;
    certificateDer: Uint8Array;
  } | null;
  /** Every certificate in the CMS, DER. */
  chain: Uint8Array[];
  /** 'sha1' | 'sha256' | 'sha384' | 'sha512' (rarely 'sha224'); '' when the CMS could not be read. */
  digestAlgorithm: string;
  integrity: 'valid' | 'digest-mismatch' | 'signature-invalid' | 'malformed';
  /** English, why the integrity is not 'valid'. */
  problem?: string;
  /** Judged at the timestamp's time when there is a sound one, else at the claimed signing time. */
  certificateValidAtSigningTime: boolean | null;
  /**
   * The RFC 3161 signature timestamp, when present; signatureValid is the TSA's own CMS signature.
   * The TSA's certificate and the token's certificates (DER) let a validator judge trust in the TSA.
   */
  timestamp: { time: string; digestMatches: boolean; signatureValid: boolean; tsaCertificate: Uint8Array | null; certificates: Uint8Array[] } | null;
  /** DocMDP P (1, 2, 3) when this is a certification signature. */
  certification: 1 | 2 | 3 | null;
  /** Fields this signature locks (FieldMDP, else the field's /Lock): action 'All' (no list), or 'Include'/'Exclude' with the names. */
  lock: FieldLock | null;
  /** What changed after this signature's revision, judged against its DocMDP/FieldMDP and those of earlier signatures. */
  laterChanges: LaterChanges;
}

type Integrity = SignatureCheck['integrity'];

/** A reason the signature cannot be checked at all: it becomes 'malformed' with this message. */
class MalformedSignature extends Error {}

/** No real CMS comes near this; a ByteRange claiming more is not a signature's gap. */
const MAX_CONTENTS_BYTES = 4 << 20;
/**
 * The gaps of all the signatures of one file together (hexadecimal, twice the CMS): each
 * signature's CMS is kept until the one pass over the file, so many large gaps would add up to
 * more memory than any real document needs (seven signatures with their chains take some 100 kB).
 */
const MAX_GAPS_BYTES = 64 << 20;

const DIGEST_NAMES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  // Some signers name the signature algorithm where the digest algorithm belongs.
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const RSA_WITH_DIGEST: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA_WITH_DIGEST: Record<string, string> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const OIDS = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  subjectKeyIdentifier: '2.5.29.14',
};

type SignatureScheme = { kind: 'rsa-pkcs1' | 'ecdsa'; hash: string } | { kind: 'rsa-pss'; hash: string; saltLength: number } | { kind: 'eddsa' };

/**
 * Every signature in the document's form (its newest revision), in signing order. Throws
 * DAMAGED_PDF when the file is not a readable PDF and ENCRYPTED_PDF when it is encrypted; a
 * signature that cannot be read is reported as 'malformed' and the others are still checked.
 */
export function verifyPdfSignatures(source: PdfSource, fileName = 'document.pdf'): SignatureCheck[] {
  let analysis: ChangeAnalysis;
  let newest: RevisionView;
  let found: SignatureField[];
  try {
    assertPdfFraming(source, fileName);
    const revisions = readRevisions(source);
    analysis = new ChangeAnalysis(source, revisions);
    newest = analysis.view(revisions.length);
    if (newest.structure.trailer.get(PDFName.of('Encrypt'))) throw new AppError('ENCRYPTED_PDF', `${fileName} is encrypted; its signatures cannot be checked.`, { fileName });
    found = signatureFields(newest);
  } catch (error) {
    if (error instanceof AppError && error.code === 'ENCRYPTED_PDF') throw error;
    if (error instanceof AppError && error.code === 'PDF_TOO_COMPLEX') throw new AppError('PDF_TOO_COMPLEX', `${fileName}: ${error.message}`, { fileName });
    const reason = error instanceof AppError ? error.code : 'DAMAGED_PDF';
    throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF: ${(error as Error).message}`, { fileName, reason });
  }

  let gapsLeft = MAX_GAPS_BYTES;
  const spendGap = (bytes: number) => {
    gapsLeft -= bytes;
    if (gapsLeft < 0) throw new AppError('PDF_TOO_COMPLEX', `${fileName}: its signatures hold more than ${MAX_GAPS_BYTES >> 20} MB of signature data together.`, { fileName });
  };
  const checked = found.map((field) => prepareSignature(source, field, analysis, spendGap));
  hashInOnePass(source, checked.flatMap(({ pending }) => (pending ? [pending] : [])));
  for (const signature of checked) completeSignature(signature);
  const policies: SignaturePolicy[] = checked.flatMap(({ check, revision }) => (revision === null ? [] : [{ revision, certification: check.certification, lock: check.lock }]));
  for (const { check, revision } of checked) {
    if (revision === null) continue;
    try {
      check.laterChanges = analysis.laterChanges(revision, policies);
    } catch (error) {
      // Unreadable later revisions cannot be shown harmless.
      check.laterChanges = { verdict: 'not-permitted', changes: [{ revision: revision + 1, kind: 'other', detail: `the revisions after this signature cannot be read (${(error as Error).message})`, permitted: false }] };
    }
  }
  return checked.map(({ check }) => check).sort((a, b) => a.revisionEnd - b.revisionEnd);
}

// ---- Finding the signatures ---------------------------------------------------------------

interface SignatureField {
  field: FormField;
  signature: PDFDict;
  certification: 1 | 2 | 3 | null;
  lock: FieldLock | null;
}

function signatureFields(view: RevisionView): SignatureField[] {
  const perms = view.dict(view.catalog()?.get(PDFName.of('Perms')));
  const certifying = perms?.get(PDFName.of('DocMDP'));
  const found: SignatureField[] = [];
  for (const field of view.fields()) {
    if (field.type !== 'Sig') continue;
    const value = field.dict.get(PDFName.of('V'));
    const signature = view.dict(value);
    if (!signature) continue;
    let certification: 1 | 2 | 3 | null = null;
    let lock: FieldLock | null = null;
    for (const reference of view.array(signature.get(PDFName.of('Reference')))?.asArray() ?? []) {
      const sigRef = view.dict(reference);
      const params = view.dict(sigRef?.get(PDFName.of('TransformParams')));
      const method = nameOf(view.get(sigRef, 'TransformMethod'));
      if (method === 'DocMDP') {
        const p = view.get(params, 'P');
        // ISO 32000-1 §12.8.2.2: P defaults to 2.
        certification = p instanceof PDFNumber && [1, 2, 3].includes(p.asNumber()) ? (p.asNumber() as 1 | 2 | 3) : 2;
      } else if (method === 'FieldMDP' && params) lock = readLock(view, params);
    }
    if (certification === null && certifying instanceof PDFRef && value instanceof PDFRef && certifying.objectNumber === value.objectNumber) certification = 2;
    if (!lock) {
      const lockDict = view.dict(field.dict.get(PDFName.of('Lock')));
      if (lockDict) lock = readLock(view, lockDict);
    }
    found.push({ field, signature, certification, lock });
  }
  return found;
}

function readLock(view: RevisionView, dict: PDFDict): FieldLock | null {
  const action = nameOf(view.get(dict, 'Action'));
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return null;
  const fields = action === 'All' ? [] : (view.array(dict.get(PDFName.of('Fields')))?.asArray() ?? []).flatMap((name) => textOf(view.resolve(name)) ?? []);
  return { action, fields };
}

// ---- One signature ------------------------------------------------------------------------

/** A signature whose CMS has been read, waiting for the bytes it covers. */
interface PendingCheck {
  /** [start, length] pairs, in file order. */
  ranges: readonly [number, number][];
  consume(chunk: Uint8Array): void;
  /** Once every byte of the ranges has been consumed. */
  finish(): CmsOutcome;
}

interface SignatureInProgress {
  check: SignatureCheck;
  /** The revision the signature signs, when its /ByteRange ends at one. */
  revision: number | null;
  pending: PendingCheck | null;
}

function malformed(check: SignatureCheck, error: unknown): void {
  check.integrity = 'malformed';
  // Anything thrown while reading one signature's bytes is that signature's problem, not the file's.
  check.problem = error instanceof MalformedSignature || error instanceof AppError ? error.message : `the signature cannot be read (${(error as Error).message})`;
}

function prepareSignature(source: PdfSource, found: SignatureField, analysis: ChangeAnalysis, spendGap: (bytes: number) => void): SignatureInProgress {
  const { signature } = found;
  const view = analysis.view(analysis.revisions.length);
  const subFilter = nameOf(view.get(signature, 'SubFilter')) ?? '';
  const claimedTime = pdfDate(textOf(view.get(signature, 'M')));
  const check: SignatureCheck = {
    fieldName: found.field.name,
    revisionEnd: 0,
    coversWholeDocument: false,
    subFilter,
    signingTime: claimedTime ? toVnIso(claimedTime) : null,
    signer: null,
    chain: [],
    digestAlgorithm: '',
    integrity: 'malformed',
    certificateValidAtSigningTime: null,
    timestamp: null,
    certification: found.certification,
    lock: found.lock,
    laterChanges: { verdict: 'none', changes: [] },
  };
  let revision: number | null = null;
  try {
    const range = readByteRange(view, signature, source.size);
    check.revisionEnd = range.end;
    check.coversWholeDocument = range.end === source.size;
    const signed = analysis.revisions.find((r) => range.end >= r.eofEnd && range.end <= r.end);
    if (!signed) throw new MalformedSignature(`the signed range ends at byte ${range.end}, which is not the end of a revision (%%EOF)`);
    revision = signed.number;
    spendGap(range.gapEnd - range.gapStart);
    const cms = readContents(source, view, signature, range);
    const pending = subFilter === 'ETSI.RFC3161' ? prepareDocumentTimestamp(range, cms) : prepareCmsSignature(range, cms, subFilter);
    return { check, revision, pending };
  } catch (error) {
    if (error instanceof AppError && error.code === 'PDF_TOO_COMPLEX') throw error;
    malformed(check, error);
    return { check, revision, pending: null };
  }
}

function completeSignature({ check, pending }: SignatureInProgress): void {
  if (pending) {
    try {
      const { signingTime: timeInCms, ...outcome } = pending.finish();
      Object.assign(check, outcome);
      // /M is what PAdES asks for; legacy signatures carry the time in the CMS instead.
      check.signingTime ??= timeInCms ?? null;
    } catch (error) {
      malformed(check, error);
    }
  }
  const judgedAt = check.timestamp?.digestMatches && check.timestamp.signatureValid ? check.timestamp.time : check.signingTime;
  if (check.signer && judgedAt) {
    const t = new Date(judgedAt).getTime();
    check.certificateValidAtSigningTime = t >= new Date(check.signer.notBefore).getTime() && t <= new Date(check.signer.notAfter).getTime();
  }
}

/** Feeds each signature the bytes of its ranges, in order, reading the file once. */
function hashInOnePass(source: PdfSource, pending: readonly PendingCheck[]): void {
  if (pending.length === 0) return;
  let chunkStart = 0;
  source.forEachChunk((chunk) => {
    const chunkEnd = chunkStart + chunk.length;
    for (const signature of pending) {
      for (const [start, length] of signature.ranges) {
        const from = Math.max(start, chunkStart);
        const to = Math.min(start + length, chunkEnd);
        if (from < to) signature.consume(chunk.subarray(from - chunkStart, to - chunkStart));
      }
    }
    chunkStart = chunkEnd;
  });
  if (chunkStart !== source.size) throw new AppError('FILE_UNREADABLE', `The file was read only up to byte ${chunkStart} of ${source.size}.`);
}

interface SignedRange {
  /** [start, length] pairs, as in /ByteRange. */
  ranges: [number, number][];
  gapStart: number;
  gapEnd: number;
  end: number;
}

function readByteRange(view: RevisionView, signature: PDFDict, fileSize: number): SignedRange {
  const array = view.array(signature.get(PDFName.of('ByteRange')));
  if (!array) throw new MalformedSignature('the signature has no /ByteRange');
  const values = array.asArray().map((value) => view.resolve(value));
  if (values.length !== 4 || !values.every((v) => v instanceof PDFNumber && Number.isInteger(v.asNumber()) && v.asNumber() >= 0)) {
    throw new MalformedSignature('the /ByteRange is not four non-negative integers (one gap, for /Contents)');
  }
  const [start, firstLength, secondStart, secondLength] = values.map((v) => (v as PDFNumber).asNumber()) as [number, number, number, number];
  if (start !== 0) throw new MalformedSignature('the signed range does not start at the beginning of the file');
  if (secondStart <= firstLength) throw new MalformedSignature('the /ByteRange ranges overlap or are out of order');
  const end = secondStart + secondLength;
  if (end > fileSize) throw new MalformedSignature(`the /ByteRange ends at byte ${end}, past the end of the file (${fileSize} bytes)`);
  if (secondStart - firstLength > 2 * MAX_CONTENTS_BYTES + 2) throw new MalformedSignature('the gap in the /ByteRange is too large to be a signature');
  return { ranges: [[0, firstLength], [secondStart, secondLength]], gapStart: firstLength, gapEnd: secondStart, end };
}

/** The CMS in the gap, after checking that the gap is exactly this signature's /Contents string. */
function readContents(source: PdfSource, view: RevisionView, signature: PDFDict, range: SignedRange): Uint8Array {
  const gap = new TextDecoder('latin1').decode(source.read(range.gapStart, range.gapEnd - range.gapStart));
  const match = /^<([0-9A-Fa-f\s]*)>$/.exec(gap);
  if (!match) throw new MalformedSignature('the gap in the /ByteRange is not a hexadecimal string: the signed ranges do not frame /Contents');
  const hex = match[1]!.replace(/\s+/g, '');
  const inGap = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  const contents = view.get(signature, 'Contents');
  if (!(contents instanceof PDFHexString || contents instanceof PDFString)) throw new MalformedSignature('the signature has no /Contents');
  // Compared as text where the object holds hex text: decoding 50 kB of hex twice costs more than the signature check.
  const same = contents instanceof PDFHexString ? contents.asString().replace(/\s+/g, '').toLowerCase() === hex.toLowerCase() : inGap.equals(Buffer.from(contents.asBytes()));
  if (!same) throw new MalformedSignature("the gap in the /ByteRange is not this signature's /Contents");
  return cmsPrefix(inGap);
}

/**
 * The CMS at the start of `bytes`: /Contents is padded with zeros after it. Some signers (VGCA's
 * 2018 software among them) write BER with indefinite lengths, so the end is found by parsing.
 */
function cmsPrefix(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x30) throw new MalformedSignature('/Contents does not hold a CMS signature');
  // DER (what PAdES asks for) states its length in the header: no need to parse the whole CMS.
  const first = bytes[1] ?? 0;
  if (first !== 0x80) {
    const lengthBytes = first < 0x80 ? 0 : first & 0x7f;
    let length = first < 0x80 ? first : 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (bytes[2 + i] ?? 0);
    const end = 2 + lengthBytes + length;
    if (lengthBytes <= 4 && end <= bytes.length) return bytes.subarray(0, end);
  }
  const parsed = asn1.fromBER(bytes);
  if (parsed.offset === -1) throw new MalformedSignature(`/Contents does not hold a readable CMS signature (${parsed.result.error})`);
  return bytes.subarray(0, parsed.offset);
}

// ---- CMS ----------------------------------------------------------------------------------

type CmsOutcome = Pick<SignatureCheck, 'integrity' | 'signer' | 'chain' | 'digestAlgorithm' | 'timestamp'> & { problem?: string; signingTime?: string | null };

function readCms(der: Uint8Array, what: string): { parsed: ParsedSignedData; extras: CmsExtras } {
  try {
    const node = cmsNode(der);
    return { parsed: parseSignedDataNode(node), extras: cmsExtras(node) };
  } catch (error) {
    throw new MalformedSignature(`${what} is not a readable CMS SignedData (${(error as Error).message})`);
  }
}

function digestName(oid: string): string {
  const name = DIGEST_NAMES[oid];
  if (!name) throw new MalformedSignature(`the digest algorithm ${oid} is not supported`);
  return name;
}

function prepareCmsSignature(range: SignedRange, der: Uint8Array, subFilter: string): PendingCheck {
  if (subFilter === 'adbe.x509.rsa_sha1') throw new MalformedSignature('adbe.x509.rsa_sha1 signatures (a bare PKCS#1 signature) are not supported');
  const { parsed, extras } = readCms(der, '/Contents');
  const digest = digestName(parsed.digestAlgorithm);
  const signerDer = findSigner(parsed);
  const outcome: CmsOutcome = { integrity: 'malformed', signer: null, chain: parsed.certificates, digestAlgorithm: digest, timestamp: null };
  if (!signerDer) {
    return { ranges: [], consume: () => {}, finish: () => ({ ...outcome, problem: "the signer's certificate is not among the certificates in the signature" }) };
  }
  outcome.signer = signerFacts(signerDer);
  const publicKey = publicKeyOf(signerDer);
  const scheme = signatureScheme(parsed.signatureAlgorithm, extras.signatureAlgorithmParameters, digest);

  // adbe.pkcs7.sha1: the signed content is the SHA-1 of the ranges, carried inside the CMS.
  const legacySha1 = subFilter === 'adbe.pkcs7.sha1';
  const rangeHash = createHash(legacySha1 ? 'sha1' : digest);
  let bareVerifier: Verify | null = null;
  if (!parsed.signedAttributesDer && !legacySha1) {
    if (scheme.kind === 'eddsa') throw new MalformedSignature('an EdDSA signature without signed attributes is not supported');
    bareVerifier = createVerify(scheme.hash);
  }
  return {
    ranges: range.ranges,
    consume(chunk) {
      rangeHash.update(chunk);
      bareVerifier?.update(chunk);
    },
    finish() {
      const rangeDigest = new Uint8Array(rangeHash.digest());
      let content = rangeDigest;
      if (legacySha1) {
        if (!extras.eContent) throw new MalformedSignature('an adbe.pkcs7.sha1 signature must carry the SHA-1 of the document inside the CMS');
        if (!Buffer.from(extras.eContent).equals(Buffer.from(rangeDigest))) {
          return { ...withTimestamp(outcome, parsed), integrity: 'digest-mismatch', problem: 'the document was changed after signing: its SHA-1 differs from the one in the signature' };
        }
        content = new Uint8Array(createHash(digest).update(extras.eContent).digest());
      }
      let verdict: { integrity: Integrity; problem?: string };
      if (parsed.signedAttributesDer) verdict = checkSignedAttributes(parsed, signerDer, publicKey, scheme, content);
      else if (bareVerifier) verdict = checkBareSignature(bareVerifier, scheme, publicKey, parsed.signature, rangeDigest);
      // adbe.pkcs7.sha1 without signed attributes: the signature is over the SHA-1 itself.
      else verdict = signatureHolds(scheme, publicKey, extras.eContent!, parsed.signature) ? { integrity: 'valid' } : { integrity: 'signature-invalid', problem: "the signature value does not verify with the signer's certificate" };
      const timed = withTimestamp({ ...outcome, ...verdict }, parsed);
      const cmsTime = signingTimeAttribute(parsed);
      return cmsTime ? { ...timed, signingTime: toVnIso(cmsTime) } : timed;
    },
  };
}

/** With signed attributes: the message digest names the content, and the signature covers the attributes. */
function checkSignedAttributes(parsed: ParsedSignedData, signerDer: Uint8Array, publicKey: KeyObject, scheme: SignatureScheme, contentDigest: Uint8Array): { integrity: Integrity; problem?: string } {
  if (!parsed.messageDigest) return { integrity: 'malformed', problem: 'the signed attributes have no message-digest' };
  if (parsed.contentType && parsed.contentType !== parsed.eContentType) return { integrity: 'malformed', problem: 'the content-type attribute differs from the signed content type' };
  if (!Buffer.from(parsed.messageDigest).equals(Buffer.from(contentDigest))) {
    return { integrity: 'digest-mismatch', problem: 'the signed bytes were changed after signing: their digest differs from the message-digest in the signature' };
  }
  if (!signatureHolds(scheme, publicKey, parsed.signedAttributesDer!, parsed.signature)) {
    return { integrity: 'signature-invalid', problem: "the signature value does not verify with the signer's certificate" };
  }
  const mismatch = signingCertificateMismatch(parsed, signerDer);
  if (mismatch) return { integrity: 'signature-invalid', problem: mismatch };
  return { integrity: 'valid' };
}

/** Without signed attributes (old adbe.pkcs7.detached): the signature is over the content itself. */
function checkBareSignature(verifier: Verify, scheme: SignatureScheme, publicKey: KeyObject, signature: Uint8Array, contentDigest: Uint8Array): { integrity: Integrity; problem?: string } {
  if (finishVerify(verifier, scheme, publicKey, signature)) return { integrity: 'valid' };
  // For RSA PKCS#1 v1.5 the signed digest can be recovered, which tells a changed document
  // from a bad signature.
  if (scheme.kind === 'rsa-pkcs1') {
    try {
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      if (recovered.length > contentDigest.length && !recovered.subarray(recovered.length - contentDigest.length).equals(Buffer.from(contentDigest))) {
        return { integrity: 'digest-mismatch', problem: 'the signed bytes were changed after signing: their digest differs from the signed one' };
      }
    } catch {
      // Not even the padding holds: the signature is wrong, not the document.
    }
  }
  return { integrity: 'signature-invalid', problem: "the signature value does not verify with the signer's certificate" };
}

function signatureScheme(oid: string, parameters: Uint8Array | null, digest: string): SignatureScheme {
  if (oid === OIDS.rsaEncryption) return { kind: 'rsa-pkcs1', hash: digest };
  if (RSA_WITH_DIGEST[oid]) return { kind: 'rsa-pkcs1', hash: RSA_WITH_DIGEST[oid]! };
  if (oid === OIDS.ecPublicKey) return { kind: 'ecdsa', hash: digest };
  if (ECDSA_WITH_DIGEST[oid]) return { kind: 'ecdsa', hash: ECDSA_WITH_DIGEST[oid]! };
  if (oid === OIDS.ed25519) return { kind: 'eddsa' };
  if (oid === OIDS.rsassaPss) {
    // RFC 4055 defaults: SHA-1 and a 20-byte salt.
    let hash = 'sha1';
    let saltLength = 20;
    for (const item of parameters ? children(derNode(parameters)) : []) {
      if (isContext(item, 0)) hash = digestName(oidOf(children(children(item)[0]!)[0]));
      if (isContext(item, 2)) saltLength = (children(item)[0] as asn1.Integer).valueBlock.valueDec;
    }
    return { kind: 'rsa-pss', hash, saltLength };
  }
  throw new MalformedSignature(`the signature algorithm ${oid} is not supported`);
}

function signatureHolds(scheme: SignatureScheme, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (scheme.kind === 'eddsa') return verifySignature(null, data, publicKey, signature);
    if (scheme.kind === 'rsa-pss') return verifySignature(scheme.hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }, signature);
    return verifySignature(scheme.hash, data, publicKey, signature);
  } catch {
    // A key of the wrong type for the algorithm, or a signature that is not even well formed.
    return false;
  }
}

function finishVerify(verifier: Verify, scheme: SignatureScheme, publicKey: KeyObject, signature: Uint8Array): boolean {
  try {
    if (scheme.kind === 'rsa-pss') return verifier.verify({ key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }, signature);
    return verifier.verify(publicKey, signature);
  } catch {
    return false;
  }
}

/** The signer's certificate, found by the SignerIdentifier: issuer and serial number, or key identifier. */
function findSigner(parsed: ParsedSignedData): Uint8Array | null {
  for (const certificate of parsed.certificates) {
    let identity: ReturnType<typeof certificateIdentity>;
    try {
      identity = certificateIdentity(certificate);
    } catch {
      continue;
    }
    if ('issuer' in parsed.sid) {
      if (Buffer.from(parsed.sid.issuer).equals(Buffer.from(identity.issuer)) && sameInteger(parsed.sid.serialNumber, identity.serialNumber)) return certificate;
    } else if (identity.subjectKeyIdentifier && Buffer.from(parsed.sid.subjectKeyIdentifier).equals(Buffer.from(identity.subjectKeyIdentifier))) return certificate;
  }
  return null;
}

/** Serial numbers compare as integers: a DER sign byte (a leading zero) does not matter. */
function sameInteger(a: Uint8Array, b: Uint8Array): boolean {
  const significant = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    return Buffer.from(bytes.subarray(start));
  };
  return significant(a).equals(significant(b));
}

/** ESS signing-certificate(-v2) binds the signature to one certificate; another one in its place is an attack. */
function signingCertificateMismatch(parsed: ParsedSignedData, signerDer: Uint8Array): string | null {
  const v2 = parsed.signingCertificateV2;
  if (v2) {
    const hash = DIGEST_NAMES[v2.hashAlgorithm];
    if (hash && !createHash(hash).update(signerDer).digest().equals(Buffer.from(v2.certHash))) return 'the signing-certificate-v2 attribute names another certificate than the signer\'s';
  }
  const v1 = parsed.signedAttributes.find((attribute) => attribute.type === OIDS.signingCertificate)?.values[0];
  if (v1) {
    try {
      const certHash = octetsOf(children(children(children(derNode(v1))[0]!)[0]!)[0]!);
      if (!createHash('sha1').update(signerDer).digest().equals(Buffer.from(certHash))) return 'the signing-certificate attribute names another certificate than the signer\'s';
    } catch {
      return 'the signing-certificate attribute cannot be read';
    }
  }
  return null;
}

function signerFacts(der: Uint8Array): SignatureCheck['signer'] {
  let facts: ReturnType<typeof certificateFacts>;
  try {
    facts = rememberedFacts(der);
  } catch (error) {
    throw new MalformedSignature(`the signer's certificate cannot be read (${(error as Error).message})`);
  }
  return {
    subject: facts.subject,
    commonName: facts.subjectCommonName,
    serialNumber: facts.serialNumber,
    fingerprint256: facts.fingerprint256,
    issuer: facts.issuer,
    notBefore: toVnIso(new Date(facts.validFrom)),
    notAfter: toVnIso(new Date(facts.validTo)),
    certificateDer: der,
  };
}

function signingTimeAttribute(parsed: ParsedSignedData): Date | null {
  const value = parsed.signedAttributes.find((attribute) => attribute.type === CMS_OIDS.signingTime)?.values[0];
  if (!value) return null;
  try {
    const node = derNode(value);
    return node instanceof asn1.UTCTime || node instanceof asn1.GeneralizedTime ? node.toDate() : null;
  } catch {
    return null;
  }
}

// ---- Timestamps ---------------------------------------------------------------------------

interface TimestampToken {
  time: Date;
  imprintAlgorithm: string;
  imprint: Uint8Array;
  /** The TSA's CMS signature over the TSTInfo holds. */
  signatureValid: boolean;
  tsaCertificate: Uint8Array | null;
  certificates: Uint8Array[];
}

function readTimestampToken(der: Uint8Array): TimestampToken {
  const { parsed, extras } = readCms(der, 'The timestamp token');
  if (parsed.eContentType !== OIDS.tstInfo || !extras.eContent) throw new MalformedSignature('the timestamp token does not carry a TSTInfo');
  const tstInfo = children(derNode(extras.eContent));
  const imprint = children(tstInfo[2]!);
  const genTime = tstInfo[4];
  if (!(genTime instanceof asn1.GeneralizedTime)) throw new MalformedSignature('the timestamp token has no time');
  const digest = digestName(parsed.digestAlgorithm);
  const tsaCertificate = findSigner(parsed);
  let signatureValid = false;
  if (tsaCertificate && parsed.signedAttributesDer) {
    const scheme = signatureScheme(parsed.signatureAlgorithm, extras.signatureAlgorithmParameters, digest);
    const content = new Uint8Array(createHash(digest).update(extras.eContent).digest());
    signatureValid = checkSignedAttributes(parsed, tsaCertificate, new X509Certificate(tsaCertificate).publicKey, scheme, content).integrity === 'valid';
  }
  return {
    time: genTime.toDate(),
    imprintAlgorithm: digestName(oidOf(children(imprint[0]!)[0])),
    imprint: octetsOf(imprint[1]!),
    signatureValid,
    tsaCertificate,
    certificates: parsed.certificates,
  };
}

/** The first RFC 3161 signature timestamp: over the SignerInfo's signature value (PAdES B-T). */
function withTimestamp(outcome: CmsOutcome, parsed: ParsedSignedData): CmsOutcome {
  const token = parsed.timestampTokens[0];
  if (!token) return outcome;
  try {
    const stamp = readTimestampToken(token);
    const digestMatches = createHash(stamp.imprintAlgorithm).update(parsed.signature).digest().equals(Buffer.from(stamp.imprint));
    return { ...outcome, timestamp: { time: toVnIso(stamp.time), digestMatches, signatureValid: stamp.signatureValid, tsaCertificate: stamp.tsaCertificate, certificates: stamp.certificates } };
  } catch {
    // A token that cannot be read does not make the signature itself unreadable.
    return outcome;
  }
}

/** A document timestamp (ETSI.RFC3161): the token's imprint is the hash of the signed ranges. */
function prepareDocumentTimestamp(range: SignedRange, der: Uint8Array): PendingCheck {
  const stamp = readTimestampToken(der);
  const hash = createHash(stamp.imprintAlgorithm);
  return {
    ranges: range.ranges,
    consume: (chunk) => void hash.update(chunk),
    finish() {
      const digestMatches = hash.digest().equals(Buffer.from(stamp.imprint));
      const outcome: CmsOutcome = {
        integrity: !digestMatches ? 'digest-mismatch' : stamp.signatureValid ? 'valid' : 'signature-invalid',
        signer: stamp.tsaCertificate ? signerFacts(stamp.tsaCertificate) : null,
        chain: stamp.certificates,
        digestAlgorithm: stamp.imprintAlgorithm,
        timestamp: { time: toVnIso(stamp.time), digestMatches, signatureValid: stamp.signatureValid, tsaCertificate: stamp.tsaCertificate, certificates: stamp.certificates },
        signingTime: toVnIso(stamp.time),
      };
      if (!digestMatches) outcome.problem = 'the document was changed after the timestamp: its digest differs from the timestamped one';
      else if (!stamp.signatureValid) outcome.problem = "the timestamp authority's signature does not verify";
      return outcome;
    },
  };
}

// ---- ASN.1 --------------------------------------------------------------------------------
// What parseSignedData leaves out (the encapsulated content, the signature algorithm's
// parameters, certificate identifiers) is read with asn1js as the bytes are, never re-encoded.

interface CmsExtras {
  eContent: Uint8Array | null;
  signatureAlgorithmParameters: Uint8Array | null;
}

function derNode(bytes: Uint8Array): asn1.AsnType {
  const parsed = asn1.fromBER(bytes);
  if (parsed.offset === -1) throw new MalformedSignature(`invalid DER (${parsed.result.error})`);
  return parsed.result;
}

function children(node: asn1.AsnType): asn1.AsnType[] {
  const value = (node as asn1.Sequence).valueBlock.value;
  return Array.isArray(value) ? value : [];
}

function isContext(node: asn1.AsnType, tag: number): boolean {
  return node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tag;
}

function oidOf(node: asn1.AsnType | undefined): string {
  if (!(node instanceof asn1.ObjectIdentifier)) throw new MalformedSignature('an algorithm identifier is missing');
  return node.valueBlock.toString();
}

/** An OCTET STRING's content, also when BER splits it into parts. */
function octetsOf(node: asn1.AsnType): Uint8Array {
  const block = (node as asn1.OctetString).valueBlock;
  if (block.isConstructed) return Buffer.concat(block.value.map((part) => octetsOf(part)));
  return new Uint8Array(block.valueHexView);
}

function cmsExtras(contentInfo: asn1.AsnType): CmsExtras {
  const signedData = children(children(children(contentInfo)[1]!)[0]!);
  const encapsulated = children(signedData[2]!);
  const eContent = encapsulated[1] ? octetsOf(children(encapsulated[1])[0]!) : null;
  const signerInfo = children(children(signedData.at(-1)!)[0]!);
  // version, sid, digestAlgorithm, [0] signedAttrs (optional), signatureAlgorithm, …
  const algorithm = children(signerInfo[isContext(signerInfo[3]!, 0) ? 4 : 3]!);
  const parameters = algorithm[1];
  return { eContent, signatureAlgorithmParameters: parameters && !(parameters instanceof asn1.Null) ? new Uint8Array(parameters.valueBeforeDecodeView) : null };
}

/**
 * What is read from a certificate, kept for the next signature by the same certificate: a
 * register's documents are signed by a handful of certificates, and reading one costs more than
 * checking a signature. Keyed by the certificate's bytes; the oldest entries go past 256.
 */
function rememberedByBytes<T>(read: (der: Uint8Array) => T): (der: Uint8Array) => T {
  const memory = new Map<string, T>();
  return (der) => {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    let value = memory.get(key);
    if (value === undefined) {
      value = read(der);
      memory.set(key, value);
      if (memory.size > 256) memory.delete(memory.keys().next().value!);
    }
    return value;
  };
}

const certificateIdentity = rememberedByBytes(readCertificateIdentity);
const rememberedFacts = rememberedByBytes(certificateFacts);
const publicKeyOf = rememberedByBytes((der) => new X509Certificate(der).publicKey);

function readCertificateIdentity(der: Uint8Array): { issuer: Uint8Array; serialNumber: Uint8Array; subjectKeyIdentifier: Uint8Array | null } {
  const tbs = children(children(derNode(der))[0]!);
  const offset = isContext(tbs[0]!, 0) ? 1 : 0;
  let subjectKeyIdentifier: Uint8Array | null = null;
  const extensions = tbs.find((node) => isContext(node, 3));
  for (const extension of extensions ? children(children(extensions)[0]!) : []) {
    const parts = children(extension);
    if (oidOf(parts[0]) === OIDS.subjectKeyIdentifier) subjectKeyIdentifier = octetsOf(derNode(octetsOf(parts.at(-1)!)));
  }
  return {
    serialNumber: new Uint8Array((tbs[offset] as asn1.Integer).valueBlock.valueHexView),
    issuer: new Uint8Array(tbs[offset + 2]!.valueBeforeDecodeView),
    subjectKeyIdentifier,
  };
}

// ---- Dates --------------------------------------------------------------------------------

/** A PDF date (D:YYYYMMDDHHmmSSOHH'mm'), any trailing part left out; null when unreadable. */
function pdfDate(text: string | undefined): Date | null {
  const m = text ? /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([+\-Z])(?:(\d{2})'?(\d{2})?'?)?)?/.exec(text.trim()) : null;
  if (!m) return null;
  const [year, month = '01', day = '01', hour = '00', minute = '00', second = '00'] = m.slice(1, 7) as [string, ...(string | undefined)[]];
  const sign = m[7] === '-' ? -1 : 1;
  const offsetMinutes = m[7] && m[7] !== 'Z' ? sign * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) : 0;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}
