// Loại văn bản hành chính — Decree 30/2020, Appendix III.
// `code` is an ASCII identifier for storage and APIs; `abbreviation` is what goes into the notation.
// A công văn has no abbreviation: its notation is {number}/{AGENCY}-{UNIT}, never "CV".

export interface DocumentTypeInfo {
  readonly code: string;
  readonly abbreviation: string;
  readonly vi: string;
  readonly en: string;
}

export const DOCUMENT_TYPES = [
  { code: 'CV', abbreviation: '', vi: 'Công văn', en: 'Official letter' },
  { code: 'NQ', abbreviation: 'NQ', vi: 'Nghị quyết', en: 'Resolution' },
  { code: 'QD', abbreviation: 'QĐ', vi: 'Quyết định', en: 'Decision' },
  { code: 'CT', abbreviation: 'CT', vi: 'Chỉ thị', en: 'Directive' },
  { code: 'QC', abbreviation: 'QC', vi: 'Quy chế', en: 'Regulation' },
  { code: 'QYD', abbreviation: 'QyĐ', vi: 'Quy định', en: 'Rules' },
  { code: 'TC', abbreviation: 'TC', vi: 'Thông cáo', en: 'Communiqué' },
  { code: 'TB', abbreviation: 'TB', vi: 'Thông báo', en: 'Notice' },
  { code: 'HD', abbreviation: 'HD', vi: 'Hướng dẫn', en: 'Guidance' },
  { code: 'CTR', abbreviation: 'CTr', vi: 'Chương trình', en: 'Programme' },
  { code: 'KH', abbreviation: 'KH', vi: 'Kế hoạch', en: 'Plan' },
  { code: 'PA', abbreviation: 'PA', vi: 'Phương án', en: 'Scheme' },
  { code: 'DEA', abbreviation: 'ĐA', vi: 'Đề án', en: 'Proposal' },
  { code: 'DA', abbreviation: 'DA', vi: 'Dự án', en: 'Project' },
  { code: 'BC', abbreviation: 'BC', vi: 'Báo cáo', en: 'Report' },
  { code: 'BB', abbreviation: 'BB', vi: 'Biên bản', en: 'Minutes' },
  { code: 'TTR', abbreviation: 'TTr', vi: 'Tờ trình', en: 'Submission' },
  { code: 'HDO', abbreviation: 'HĐ', vi: 'Hợp đồng', en: 'Contract' },
  { code: 'CD', abbreviation: 'CĐ', vi: 'Công điện', en: 'Official dispatch' },
  { code: 'BGN', abbreviation: 'BGN', vi: 'Bản ghi nhớ', en: 'Memorandum' },
  { code: 'BTT', abbreviation: 'BTT', vi: 'Bản thỏa thuận', en: 'Agreement' },
  { code: 'GUQ', abbreviation: 'GUQ', vi: 'Giấy ủy quyền', en: 'Power of attorney' },
  { code: 'GM', abbreviation: 'GM', vi: 'Giấy mời', en: 'Invitation' },
  { code: 'GGT', abbreviation: 'GGT', vi: 'Giấy giới thiệu', en: 'Letter of introduction' },
  { code: 'GNP', abbreviation: 'GNP', vi: 'Giấy nghỉ phép', en: 'Leave permit' },
  { code: 'PG', abbreviation: 'PG', vi: 'Phiếu gửi', en: 'Dispatch slip' },
  { code: 'PC', abbreviation: 'PC', vi: 'Phiếu chuyển', en: 'Transfer slip' },
  { code: 'PB', abbreviation: 'PB', vi: 'Phiếu báo', en: 'Notification slip' },
  { code: 'SY', abbreviation: 'SY', vi: 'Bản sao y', en: 'Certified copy' },
  { code: 'TRS', abbreviation: 'TrS', vi: 'Bản trích sao', en: 'Extract copy' },
  { code: 'SL', abbreviation: 'SL', vi: 'Bản sao lục', en: 'Transcript copy' },
] as const satisfies readonly DocumentTypeInfo[];

export type DocumentTypeCode = (typeof DOCUMENT_TYPES)[number]['code'];

export const DOCUMENT_TYPE_CODES = DOCUMENT_TYPES.map((t) => t.code) as [DocumentTypeCode, ...DocumentTypeCode[]];

const byAbbreviation = new Map<string, DocumentTypeInfo>(
  DOCUMENT_TYPES.filter((t) => t.abbreviation).map((t) => [t.abbreviation.toUpperCase(), t]),
);

/** Finds a type from the abbreviation found in a notation such as "453/TB-UBND" (case-insensitive). */
export function documentTypeByAbbreviation(abbreviation: string): DocumentTypeInfo | undefined {
  return byAbbreviation.get(abbreviation.toUpperCase());
}

export function documentType(code: string): DocumentTypeInfo | undefined {
  return DOCUMENT_TYPES.find((t) => t.code === code);
}
