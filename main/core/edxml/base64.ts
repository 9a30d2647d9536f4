// Base64 in pieces: an attachment can be hundreds of megabytes, so neither its bytes nor its text
// are ever held whole. Each side carries the few characters or bytes that do not yet make a full
// group over to the next piece.

const EMPTY = Buffer.alloc(0);
const WHITESPACE = /[\t\n\r ]+/g;
const ALPHABET_ONLY = /^[A-Za-z0-9+/]*$/;
const PADDING_ONLY = /^=*$/;

/** Thrown on text that is not standard, padded base64; the parser turns it into a 'bad-base64' refusal. */
export class Base64Error extends Error {}

/**
 * Decodes standard base64 as it arrives. Whitespace anywhere (senders wrap lines) is skipped; any
 * other character outside the alphabet, data after padding, or a missing or excessive padding is
 * an error. Padding is required, as the national axis (.NET Convert.FromBase64String) requires it.
 */
export class Base64Decoder {
  /** Characters of an unfinished group of four, padding included once it has started. */
  private carry = '';
  private padded = false;

  push(text: string): Buffer {
    const clean = text.replace(WHITESPACE, '');
    if (clean.length === 0) return EMPTY;
    if (this.padded) {
      if (!PADDING_ONLY.test(clean)) throw new Base64Error('data after base64 padding');
      this.carry += clean;
      this.checkPaddingLength();
      return EMPTY;
    }
    const text4 = this.carry + clean;
    const padAt = text4.indexOf('=');
    const data = padAt < 0 ? text4 : text4.slice(0, padAt);
    const whole = data.length - (data.length % 4);
    const bytes = whole === 0 ? EMPTY : Buffer.from(data.slice(0, whole), 'base64');
    // Checked by the decoder itself rather than a regular expression over megabytes of text: Node
    // skips characters outside the alphabet (so the result comes out short) and accepts base64url's
    // "-" and "_", which standard base64 does not allow.
    if (bytes.length !== (whole / 4) * 3 || data.includes('-') || data.includes('_') || !ALPHABET_ONLY.test(data.slice(whole))) {
      throw new Base64Error('character outside the base64 alphabet');
    }
    if (padAt < 0) {
      this.carry = data.slice(whole);
    } else {
      const padding = text4.slice(padAt);
      if (!PADDING_ONLY.test(padding)) throw new Base64Error('data after base64 padding');
      this.padded = true;
      this.carry = data.slice(whole) + padding;
      this.checkPaddingLength();
    }
    return bytes;
  }

  /** The last bytes; throws if the text stopped in the middle of a group. */
  finish(): Buffer {
    const group = this.carry;
    this.carry = '';
    if (group.length === 0) return EMPTY;
    if (group.length !== 4 || !this.padded) throw new Base64Error('base64 text ends in the middle of a group');
    return Buffer.from(group, 'base64');
  }

  /** A group holds 2 or 3 data characters before its padding; "A===" or "AAAA=" cannot be valid. */
  private checkPaddingLength(): void {
    const dataChars = this.carry.indexOf('=');
    if (dataChars < 2 || this.carry.length > 4) throw new Base64Error('bad base64 padding');
  }
}
