// The fields a search result can show (Decree 30, Appendix VI 6đ): the clerk picks which, in the
// list and in the exported file. Pure: the renderer and the core read the same keys.
import type { ListedDocument } from './contract.js';
import { formatDateVn, vnDate } from './dates.js';
import { documentType } from './doctypes.js';

export const SEARCH_COLUMN_KEYS = [
  'incomingNumber',
  'notation',
  'documentDate',
  'typeCode',
  'subject',
  'authorAgency',
  'signerName',
  'recipients',
  'handlerName',
  'dueDate',
  'state',
  'registeredAt',
  'identifierCode',
] as const;
export type SearchColumnKey = (typeof SEARCH_COLUMN_KEYS)[number];

/** What the list shows until the clerk chooses: the columns it always had. */
export const DEFAULT_SEARCH_COLUMNS: readonly SearchColumnKey[] = ['notation', 'documentDate', 'typeCode', 'subject', 'authorAgency', 'state'];

/** The most rows an export writes: a year of a busy register, still a file a clerk can open. */
export const SEARCH_EXPORT_MAX_ROWS = 10_000;

// As the app shows each state (renderer/src/i18n/vi.json, state.*): exports and the command line print Vietnamese.
const STATE_VI: Record<ListedDocument['state'], string> = {
  draft: 'Dự thảo',
  received: 'Chờ tiếp nhận',
  registered: 'Đã vào sổ',
  signed: 'Đã ký số',
  numbered: 'Đã cấp số',
  sealed: 'Đã đóng dấu',
  queued: 'Chờ gửi',
  sent: 'Đã gửi',
  issued: 'Đã phát hành',
  returned: 'Đã trả lại',
  recalled: 'Đã thu hồi',
  updated: 'Đã cập nhật',
  replaced: 'Đã bị thay thế',
  assigned: 'Đã giao xử lý',
  in_progress: 'Đang xử lý',
  done: 'Hoàn thành',
};

/** A result's field as text, as printed in an export or on the command line (dates dd/MM/yyyy). */
export function searchColumnText(hit: ListedDocument, key: SearchColumnKey): string {
  switch (key) {
    case 'incomingNumber':
      return hit.incomingNumber == null ? '' : String(hit.incomingNumber).padStart(2, '0');
    case 'notation':
      return hit.notation ?? '';
    case 'documentDate':
      return formatDateVn(hit.documentDate);
    case 'dueDate':
      return formatDateVn(hit.dueDate);
    case 'registeredAt':
      return formatDateVn(vnDate(new Date(hit.registeredAt)));
    case 'typeCode':
      return documentType(hit.typeCode)?.vi ?? hit.typeCode;
    case 'recipients':
      return hit.recipients.join('; ');
    case 'state':
      return STATE_VI[hit.state];
    case 'subject':
    case 'authorAgency':
    case 'signerName':
    case 'handlerName':
    case 'identifierCode':
      return hit[key] ?? '';
  }
}
