// Where a visible signature goes: a page and a rectangle in PDF points, [x, y, width, height]
// from the page's bottom-left corner, as documents.sign takes it.
import type { SignatureAppearance } from '../../../main/common/contract.js';

export type PdfRect = [x: number, y: number, width: number, height: number];

export interface SignaturePlacement {
  page: number;
  rect: PdfRect;
}

export type SigningRole = Exclude<SignatureAppearance['kind'], 'invisible'>;

/**
 * The box a click places: about the size the roles take on paper (Decree 30/2020, Appendix I) —
 * the signature over the signer's name, the seal overlapping it with the agency's name and time.
 */
export const DEFAULT_BOX: Record<Exclude<SigningRole, 'attachment'>, readonly [number, number]> = {
  signer: [160, 64],
  agency: [210, 80],
};
