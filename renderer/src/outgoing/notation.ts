// Số và ký hiệu as the clerk will see it once numbered, before any number exists: the number is
// shown as "…". This mirrors main/core/issuing/notation.ts, which the renderer may not import
// (the renderer reaches only main/common); the core's version is the one that numbers.
import { documentType } from '../../../main/common/doctypes.js';

/**
 * `…/{type}-{agency}[-{unit}]`, e.g. …/QĐ-UBND-VP; a công văn has no type abbreviation
 * (…/UBND-VP, never "CV"). Null while the agency has no abbreviation: there is no notation yet.
 */
export function notationPreview(typeCode: string, agencyAbbreviation: string, unit: string): string | null {
  const agency = agencyAbbreviation.trim();
  if (!agency) return null;
  const type = documentType(typeCode);
  const tail = [type?.abbreviation ?? '', agency, unit.trim()].filter(Boolean).join('-');
  return `…/${tail}`;
}

