// The steps a document's file goes through, in the clerk's words: the CLI lists them and a saved
// copy of an earlier version is named after its step ("QĐ 05 - đã ký.pdf").
import type { DocumentFile } from './contract.js';

export const FILE_STEP_VI: Record<DocumentFile['step'], string> = {
  draft: 'dự thảo',
  signed: 'đã ký',
  numbered: 'đã cấp số',
  issued: 'phát hành',
  received: 'bản nhận',
  imported: 'bản nhập',
  attachment: 'đính kèm',
};
