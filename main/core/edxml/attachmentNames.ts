// Attachment names come from other agencies' software and end up as file names: in the work folder
// while a package is read (Linux, macOS, Windows), and on a clerk's PC when saved (Windows, mostly).
// A name is accepted only if it is one plain file name everywhere: no folders, no way out of the
// folder it is saved in, nothing Windows treats as a device or silently changes, nothing that shows
// other than it is; and it is made short enough, in bytes, for every file system.
import path from 'node:path';
import { AppError } from '../../common/errors.js';

/** ext4 and APFS allow 255 bytes of UTF-8 in a name; NTFS 255 UTF-16 units, which 255 UTF-8 bytes never exceed. */
const MAX_FILE_NAME_BYTES = 255;
/** Attachments named alike are told apart as "a.pdf", "a (2).pdf" … "a (999).pdf" (parse.ts, OutputFiles.reserve). */
export const MAX_SAME_NAMES = 999;
/** Room is left for the longest such suffix, so that a name that fits still fits with it. */
export const MAX_ATTACHMENT_NAME_BYTES = MAX_FILE_NAME_BYTES - Buffer.byteLength(` (${MAX_SAME_NAMES})`);
/** Longer than this after the last dot, it is not an extension worth keeping whole. */
const MAX_KEPT_EXTENSION_BYTES = 16;

// CON, PRN, AUX, NUL, COM0–9, LPT0–9, CONIN$, CONOUT$ and CLOCK$ open a device on Windows whatever
// extension follows ("CON.pdf", "nul .txt" too); the superscript digits are included because
// Windows treats COM¹ alike.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$) *(\..*)?$/i;
// C0 and C1 control characters, DEL; NUL is among them.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// Invisible format characters: bidi overrides and isolates ("hoadon\u202Efdp.exe" shows as
// "hoadonexe.pdf"), zero-width spaces and joiners, the soft hyphen, the BOM.
const FORMAT_CHARACTER = /\p{Cf}/u;
// A lone UTF-16 surrogate has no UTF-8 form: no file system could store the name as sent.
const LONE_SURROGATE = /\p{Cs}/u;
// Characters Windows refuses in a file name; a name holding one could not be saved as sent.
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;

function refuse(name: string, why: string): never {
  throw new AppError('PACKAGE_REFUSED', `Attachment name refused (${why}): ${JSON.stringify(name.slice(0, 300))}`, {
    reason: 'bad-attachment-name',
    detail: why,
  });
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A name over MAX_ATTACHMENT_NAME_BYTES cut to fit, keeping its extension: whole characters
 * (grapheme clusters, so that no vowel loses its tone mark) are dropped from the end of the part
 * before the extension.
 */
function shortened(name: string): string {
  if (utf8Bytes(name) <= MAX_ATTACHMENT_NAME_BYTES) return name;
  const found = path.extname(name);
  const extension = utf8Bytes(found) <= MAX_KEPT_EXTENSION_BYTES ? found : '';
  const budget = MAX_ATTACHMENT_NAME_BYTES - utf8Bytes(extension);
  let kept = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(name.slice(0, name.length - extension.length))) {
    bytes += utf8Bytes(segment);
    if (bytes > budget) break;
    kept += segment;
  }
  // A cut that lands after a dot or a space would leave a name ending in one.
  kept = kept.replace(/[. ]+$/, '');
  if (kept === '') refuse(name, 'too long');
  return kept + extension;
}

/**
 * Returns the name as it is to be stored — NFC, and shortened (keeping its extension) when it is
 * longer than MAX_ATTACHMENT_NAME_BYTES — or throws AppError('PACKAGE_REFUSED', …,
 * { reason: 'bad-attachment-name' }).
 */
export function checkAttachmentName(name: string): string {
  // Vietnamese names arrive both precomposed and decomposed; NFC makes "Quyết định.pdf" one name.
  const cleaned = name.normalize('NFC');
  if (cleaned.length === 0) refuse(name, 'empty');
  if (LONE_SURROGATE.test(cleaned)) refuse(name, 'not valid Unicode');
  if (CONTROL_CHARACTER.test(cleaned)) refuse(name, 'control character');
  if (FORMAT_CHARACTER.test(cleaned)) refuse(name, 'invisible formatting character');
  if (cleaned.includes('/') || cleaned.includes('\\')) refuse(name, 'path separator');
  if (/^[a-z]:/i.test(cleaned)) refuse(name, 'drive path');
  if (WINDOWS_FORBIDDEN.test(cleaned)) refuse(name, 'character not allowed in a file name');
  // Windows drops a trailing dot or space, so "a.pdf." would be saved as another name than sent
  // (and "." and ".." are no names at all).
  if (/[. ]$/.test(cleaned)) refuse(name, 'ends in a dot or a space');
  if (WINDOWS_DEVICE.test(cleaned)) refuse(name, 'device name');
  return shortened(cleaned);
}
