// Attachment names come from other agencies' software and end up as file names on a clerk's PC
// (Windows, mostly). A name is accepted only if it is one plain file name there: no folders, no
// way out of the folder it is saved in, nothing Windows treats as a device.
import { AppError } from '../../common/errors.js';

export const MAX_ATTACHMENT_NAME_CHARS = 255;

// CON, PRN, AUX, NUL, COM1–9 and LPT1–9 open a device on Windows whatever extension follows
// ("CON.pdf" too); the superscript digits are included because Windows treats COM¹ alike.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;
// C0 and C1 control characters, DEL; NUL is among them.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// Characters Windows refuses in a file name; a name holding one could not be saved as sent.
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;

function refuse(name: string, why: string): never {
  throw new AppError('PACKAGE_REFUSED', `Attachment name refused (${why}): ${JSON.stringify(name.slice(0, 300))}`, {
    reason: 'bad-attachment-name',
    detail: why,
  });
}

/**
 * Returns the name cleaned (NFC, trimmed, without the trailing dots and spaces Windows drops) or
 * throws AppError('PACKAGE_REFUSED', …, { reason: 'bad-attachment-name' }).
 */
export function checkAttachmentName(name: string): string {
  // Vietnamese names arrive both precomposed and decomposed; NFC makes "Quyết định.pdf" one name.
  // Stripping trailing dots also turns "." and ".." into the empty name, refused below.
  const cleaned = name.normalize('NFC').trim().replace(/[. ]+$/, '');
  if (cleaned.length === 0) refuse(name, 'empty');
  if (cleaned.length > MAX_ATTACHMENT_NAME_CHARS) refuse(name, 'too long');
  if (CONTROL_CHARACTER.test(cleaned)) refuse(name, 'control character');
  if (cleaned.includes('/') || cleaned.includes('\\')) refuse(name, 'path separator');
  if (/^[a-z]:/i.test(cleaned)) refuse(name, 'drive path');
  if (WINDOWS_FORBIDDEN.test(cleaned)) refuse(name, 'character not allowed in a file name');
  if (WINDOWS_DEVICE.test(cleaned)) refuse(name, 'device name');
  return cleaned;
}
