// Ảnh chữ ký và con dấu: the handwritten signature of a certificate's holder and the agency's
// seal, drawn into visible signatures (Decree 30/2020, Appendix I). One of each per certificate,
// by its SHA-256 fingerprint. Changing one is recorded in the audit trail: whose signature image
// goes on documents is a matter of record.
import { PDFDocument } from 'pdf-lib';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { sha256Hex, type BlobStore } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { appendAudit } from './audit.js';
import { storeFileThenCommit } from './fileJournal.js';

export type ImageKind = 'signature' | 'seal';

/** A scanned signature or seal at print resolution fits easily; anything larger is a mistake. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface ImageContext {
  db: Database;
  blobs: BlobStore;
  actor: string;
}

export function certificateImage(ctx: Omit<ImageContext, 'actor'>, fingerprint256: string, kind: ImageKind): Uint8Array<ArrayBuffer> | null {
  const row = prepared(ctx.db, 'SELECT file_sha256 FROM certificate_images WHERE fingerprint256 = ? AND kind = ?').get(fingerprint256, kind) as
    | { file_sha256: string }
    | undefined;
  if (!row) return null;
  try {
    return new Uint8Array(ctx.blobs.read(row.file_sha256));
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The ${kind} image of certificate ${fingerprint256} is missing from the data folder.`);
  }
}

export function certificateImages(ctx: Omit<ImageContext, 'actor'>, fingerprint256: string): Record<ImageKind, Uint8Array<ArrayBuffer> | null> {
  return { signature: certificateImage(ctx, fingerprint256, 'signature'), seal: certificateImage(ctx, fingerprint256, 'seal') };
}

/** Refuses anything but a PNG that pdf-lib can embed, so that signing never fails on the image later. */
export async function checkPng(png: Uint8Array): Promise<void> {
  if (png.length > MAX_IMAGE_BYTES) {
    throw new AppError('FILE_TOO_LARGE', `The image is larger than ${MAX_IMAGE_BYTES / 1048576} MB.`, { limitMb: MAX_IMAGE_BYTES / 1048576 });
  }
  if (png.length < 33 || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) {
    throw new AppError('NOT_PNG', 'The image is not a PNG file.');
  }
  try {
    await (await PDFDocument.create()).embedPng(png);
  } catch {
    throw new AppError('NOT_PNG', 'The PNG image is damaged or in a form that cannot be used.');
  }
}

export async function setCertificateImage(ctx: ImageContext, fingerprint256: string, kind: ImageKind, png: Uint8Array): Promise<void> {
  await checkPng(png);
  const sha256 = sha256Hex(png);
  storeFileThenCommit(ctx, { parts: [png], sha256, mediaType: 'image/png' }, (now) => {
    prepared(
      ctx.db,
      `INSERT INTO certificate_images (fingerprint256, kind, file_sha256, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (fingerprint256, kind) DO UPDATE SET file_sha256 = excluded.file_sha256, updated_at = excluded.updated_at`,
    ).run(fingerprint256, kind, sha256, now);
    appendAudit(ctx.db, { actor: ctx.actor, kind: 'certificate_image_set', at: now, details: { fingerprint256, image: kind, sha256 } });
  });
}

export function clearCertificateImage(ctx: Omit<ImageContext, 'blobs'>, fingerprint256: string, kind: ImageKind): void {
  ctx.db
    .transaction(() => {
      const removed = prepared(ctx.db, 'DELETE FROM certificate_images WHERE fingerprint256 = ? AND kind = ?').run(fingerprint256, kind).changes;
      if (removed > 0) appendAudit(ctx.db, { actor: ctx.actor, kind: 'certificate_image_cleared', details: { fingerprint256, image: kind } });
    })
    .immediate();
}
