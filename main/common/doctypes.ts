// Loại văn bản hành chính — Decree 30/2020, Appendix III — and the legal documents that come in
// from above (Law on Promulgation of Legal Documents: Luật, Nghị định, Thông tư…), which a commune
// receives and registers but never issues.
// `code` is an ASCII identifier for storage and APIs; `abbreviation` is what goes into the notation.
// A công văn has no abbreviation: its notation is {number}/{AGENCY}-{UNIT}, never "CV"; nor have a
// Luật or a Pháp lệnh, whose notation is {number}/{year}/{issuer} ("15/2012/QH13").

export interface DocumentTypeInfo {
  readonly code: string;
  readonly abbreviation: string;
  readonly vi: string;
  readonly en: string;
  /** Received only: not offered when drafting an outgoing document. */
  readonly incomingOnly?: true;
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
  // Văn bản quy phạm pháp luật of the State's higher bodies (Nghị quyết and Quyết định are above).
  { code: 'LUAT', abbreviation: '', vi: 'Luật', en: 'Law', incomingOnly: true },
  { code: 'BLUAT', abbreviation: '', vi: 'Bộ luật', en: 'Code', incomingOnly: true },
  { code: 'PL', abbreviation: '', vi: 'Pháp lệnh', en: 'Ordinance', incomingOnly: true },
  { code: 'LENH', abbreviation: 'L', vi: 'Lệnh', en: 'Order', incomingOnly: true },
  { code: 'ND', abbreviation: 'NĐ', vi: 'Nghị định', en: 'Decree', incomingOnly: true },
  { code: 'TT', abbreviation: 'TT', vi: 'Thông tư', en: 'Circular', incomingOnly: true },
  { code: 'TTLT', abbreviation: 'TTLT', vi: 'Thông tư liên tịch', en: 'Joint circular', incomingOnly: true },
  { code: 'NQLT', abbreviation: 'NQLT', vi: 'Nghị quyết liên tịch', en: 'Joint resolution', incomingOnly: true },
] as const satisfies readonly DocumentTypeInfo[];

export type DocumentTypeCode = (typeof DOCUMENT_TYPES)[number]['code'];

export const DOCUMENT_TYPE_CODES = DOCUMENT_TYPES.map((t) => t.code) as [DocumentTypeCode, ...DocumentTypeCode[]];

/** The types an agency issues itself (Appendix III): what an outgoing draft may be. */
export const OUTGOING_TYPE_CODES = DOCUMENT_TYPES.filter((t: DocumentTypeInfo) => !t.incomingOnly).map((t) => t.code) as [DocumentTypeCode, ...DocumentTypeCode[]];

const byAbbreviation = new Map<string, DocumentTypeInfo>(
  DOCUMENT_TYPES.filter((t) => t.abbreviation).map((t) => [t.abbreviation.toUpperCase(), t]),
);

/** Đ → D: what a scan's text layer (OCR) or a font without Vietnamese glyphs makes of "NĐ", "QĐ". */
const unaccented = (abbreviation: string) => abbreviation.toUpperCase().replace(/Đ/g, 'D');

/** Abbreviations that read the same without the Đ stroke, each with the one type it can be. */
const byUnaccented = new Map<string, DocumentTypeInfo | null>();
for (const type of DOCUMENT_TYPES.filter((t) => t.abbreviation)) {
  const key = unaccented(type.abbreviation);
  // HĐ (Hợp đồng) and HD (Hướng dẫn), ĐA and DA, read alike: such a pair is no answer.
  byUnaccented.set(key, byUnaccented.has(key) ? null : type);
}

/**
 * Finds a type from the abbreviation found in a notation such as "453/TB-UBND" (case-insensitive);
 * an abbreviation that lost its Đ ("119/2018/ND-CP") is taken when it can be one type only.
 */
export function documentTypeByAbbreviation(abbreviation: string): DocumentTypeInfo | undefined {
  return byAbbreviation.get(abbreviation.toUpperCase()) ?? byUnaccented.get(unaccented(abbreviation)) ?? undefined;
}

export function documentType(code: string): DocumentTypeInfo | undefined {
  return DOCUMENT_TYPES.find((t) => t.code === code);
}
