// The one way a document's file in the store is signed, whoever signs and for whatever step: the
// competent person's signature from the signing batch, the agency's seal and its attachments'
// seals from issuing. The key may be a token's or a phone's (SignerKey); the step says where the
// signature goes and what it permits after it (issuing's placement), and this module checks the
// key can sign now and hands the PDF signer the stored file it begins with, so that a file this
// process wrote is not read again (pades/knownStructures.ts). Files that are not in the store —
// `eoffice sign` on loose PDFs — go through pades/batch.ts instead.
import { AppError } from '../../common/errors.js';
import { formatDateVn, vnDate } from '../../common/dates.js';
import type { PdfSource } from '../pdf/source.js';
import { signPdfSource, type SignedUpdate, type SignPdfOptions } from '../pades/signPdf.js';
import type { AppearanceSpec } from '../pades/appearance.js';
import type { TimestampOptions } from '../pades/timestamp.js';
import type { SignerKey } from './signerKey.js';

/** Where a step's signature goes and what it permits after it: issuing decides for outgoing documents. */
export type SignaturePlacement = Pick<SignPdfOptions, 'fieldName' | 'whenFieldMissing' | 'permissions' | 'emptySignatureFields'>;

export interface StoredFileSignature {
  key: SignerKey;
  fileName: string;
  /** The stored file the source begins with; any bytes after it were written by this same step (the filled number). */
  stored: { sha256: string; bytes: number };
  appearance: AppearanceSpec;
  signingTime: Date;
  /** A timestamp authority: PAdES B-T when it answers, B-B otherwise. */
  timestamp?: TimestampOptions;
  placement?: SignaturePlacement;
}

/** A certificate that cannot make a valid signature now is refused before any document is touched. */
export function assertUsable(key: SignerKey): void {
  const { facts } = key;
  const day = (iso: string) => formatDateVn(vnDate(new Date(iso)));
  if (facts.warning === 'expired') {
    throw new AppError('CERTIFICATE_EXPIRED', `The certificate ${facts.serialNumber} expired on ${day(facts.validTo)}; renew it with the CA.`, { date: day(facts.validTo) });
  }
  if (facts.warning === 'not-yet-valid') {
    throw new AppError('CERTIFICATE_NOT_YET_VALID', `The certificate ${facts.serialNumber} is valid only from ${day(facts.validFrom)}.`, { date: day(facts.validFrom) });
  }
  if (!facts.canSign) {
    throw new AppError('CERTIFICATE_NOT_FOR_SIGNING', `The certificate ${facts.serialNumber} is not allowed to sign documents (its key usage forbids it).`);
  }
}

export function signStoredFile(source: PdfSource, signature: StoredFileSignature): Promise<SignedUpdate> {
  assertUsable(signature.key);
  return signPdfSource(source, {
    key: signature.key,
    fileName: signature.fileName,
    appearance: signature.appearance,
    signingTime: signature.signingTime,
    timestamp: signature.timestamp,
    knownPrefix: signature.stored,
    ...signature.placement,
  });
}
