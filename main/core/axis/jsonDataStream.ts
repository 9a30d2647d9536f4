// Reads a `{"data":"<base64>", …}` answer as it arrives and hands out the decoded bytes, so that a
// 200 MB package never sits in memory as JSON, as a string or as a Buffer. The other top-level
// fields (status, ErrorCode, ErrorDesc) are small and are kept whole, to be read at the end.
//
// Inside the base64 string the only JSON escape an encoder can produce is `\/` (some escape every
// slash); any other escape, or a character outside the base64 alphabet, is an answer shape this
// reader does not guess at.

/** incomplete: the answer stopped early. malformed: not JSON. unsupported: JSON of a shape not read here. */
export type DataStreamProblem = 'incomplete' | 'malformed' | 'unsupported';

export class DataStreamError extends Error {
  readonly problem: DataStreamProblem;
  constructor(problem: DataStreamProblem, message: string) {
    super(message);
    this.name = 'DataStreamError';
    this.problem = problem;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
/** Keys and the values of the small fields; far above anything an axis puts there. */
const MAX_FIELD_BYTES = 1 << 20;

type State = 'beforeObject' | 'beforeKey' | 'key' | 'afterKey' | 'beforeValue' | 'data' | 'dataEscape' | 'otherValue' | 'afterValue' | 'done';

export class JsonDataExtractor {
  private state: State = 'beforeObject';
  private readonly dataKey: string;
  private keyBytes: number[] = [];
  private keyEscaped = false;
  private key = '';
  /** Base64 characters not yet decoded: fewer than four, or a run still being collected. */
  private pendingBase64 = '';
  private paddingSeen = false;
  private dataFound = false;
  private otherParts: Buffer[] = [];
  private otherLength = 0;
  private otherDepth = 0;
  private otherInString = false;
  private otherEscaped = false;
  private readonly fields: Record<string, unknown> = {};

  constructor(dataKey = 'data') {
    this.dataKey = dataKey;
  }

  /** Decoded bytes found in this chunk, in order (possibly none). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      switch (this.state) {
        case 'beforeObject':
          if (byte === 0x7b) this.state = 'beforeKey';
          else if (!isWhitespace(byte)) throw new DataStreamError('unsupported', 'the answer is not a JSON object');
          i++;
          break;
        case 'beforeKey':
        case 'afterValue':
          if (byte === 0x7d) this.state = 'done';
          else if (byte === 0x2c && this.state === 'afterValue') this.state = 'beforeKey';
          else if (byte === QUOTE && this.state === 'beforeKey') {
            this.state = 'key';
            this.keyBytes = [];
            this.keyEscaped = false;
          } else if (!isWhitespace(byte)) throw new DataStreamError('malformed', `unexpected "${String.fromCharCode(byte)}" in the answer's JSON`);
          i++;
          break;
        case 'key':
          if (byte === QUOTE && !this.keyEscaped) {
            this.key = this.parseKey();
            this.state = 'afterKey';
          } else {
            if (this.keyBytes.length >= MAX_FIELD_BYTES) throw new DataStreamError('unsupported', 'a key in the answer is too long');
            this.keyEscaped = byte === BACKSLASH && !this.keyEscaped;
            this.keyBytes.push(byte);
          }
          i++;
          break;
        case 'afterKey':
          if (byte === 0x3a) this.state = 'beforeValue';
          else if (!isWhitespace(byte)) throw new DataStreamError('malformed', 'expected ":" after a key in the answer');
          i++;
          break;
        case 'beforeValue':
          if (isWhitespace(byte)) i++;
          else if (byte === QUOTE && this.key === this.dataKey) {
            if (this.dataFound) throw new DataStreamError('unsupported', `the answer has "${this.dataKey}" twice`);
            this.dataFound = true;
            this.state = 'data';
            i++;
          } else {
            this.state = 'otherValue';
            this.otherParts = [];
            this.otherLength = 0;
            this.otherDepth = 0;
            this.otherInString = false;
            this.otherEscaped = false;
          }
          break;
        case 'data':
          i = this.readData(chunk, i, out);
          break;
        case 'dataEscape':
          if (byte !== SLASH) throw new DataStreamError('unsupported', `the package's base64 contains the JSON escape "\\${String.fromCharCode(byte)}"; only "\\/" is read`);
          this.appendBase64('/', out);
          this.state = 'data';
          i++;
          break;
        case 'otherValue':
          i = this.readOtherValue(chunk, i);
          break;
        case 'done':
          if (!isWhitespace(byte)) throw new DataStreamError('malformed', 'text after the end of the answer\'s JSON');
          i++;
          break;
      }
    }
    return out;
  }

  /** Checks the answer ended where its JSON ends; returns the small fields and whether data came. */
  end(): { dataFound: boolean; fields: Record<string, unknown> } {
    if (this.state !== 'done') throw new DataStreamError('incomplete', 'the answer ended before its JSON did');
    return { dataFound: this.dataFound, fields: this.fields };
  }

  private parseKey(): string {
    try {
      return JSON.parse(`"${Buffer.from(this.keyBytes).toString('utf8')}"`) as string;
    } catch {
      throw new DataStreamError('malformed', 'a key in the answer is not a JSON string');
    }
  }

  /** Takes base64 up to the next quote or backslash in one slice rather than byte by byte. */
  private readData(chunk: Buffer, start: number, out: Buffer[]): number {
    let stop = chunk.indexOf(QUOTE, start);
    const escape = chunk.indexOf(BACKSLASH, start);
    if (escape !== -1 && (stop === -1 || escape < stop)) stop = escape;
    const end = stop === -1 ? chunk.length : stop;
    if (end > start) this.appendBase64(chunk.toString('latin1', start, end), out);
    if (stop === -1) return end;
    if (chunk[stop] === BACKSLASH) this.state = 'dataEscape';
    else {
      this.finishBase64(out);
      this.state = 'afterValue';
    }
    return stop + 1;
  }

  private appendBase64(text: string, out: Buffer[]): void {
    if (NOT_BASE64.test(text)) throw new DataStreamError('unsupported', 'the package data holds characters outside the base64 alphabet');
    if (this.paddingSeen) throw new DataStreamError('unsupported', 'the package data continues after base64 padding');
    const all = this.pendingBase64 + text;
    const whole = all.length - (all.length % 4);
    this.pendingBase64 = all.slice(whole);
    if (whole > 0) this.decode(all.slice(0, whole), out);
  }

  private finishBase64(out: Buffer[]): void {
    // Unpadded base64 (two or three characters left over) still decodes to whole bytes.
    if (this.pendingBase64.length === 1) throw new DataStreamError('unsupported', 'the package data is not whole base64');
    if (this.pendingBase64.length > 0) this.decode(this.pendingBase64, out);
    this.pendingBase64 = '';
  }

  private decode(text: string, out: Buffer[]): void {
    const padding = text.indexOf('=');
    if (padding !== -1) {
      // Buffer.from skips stray characters silently; a "=" anywhere but the last one or two places
      // means the string is not one base64 value.
      if (padding < text.length - 2 || !/^=+$/.test(text.slice(padding))) throw new DataStreamError('unsupported', 'the package data has base64 padding in the middle');
      this.paddingSeen = true;
    }
    out.push(Buffer.from(text, 'base64'));
  }

  private readOtherValue(chunk: Buffer, start: number): number {
    let i = start;
    for (; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.otherInString) {
        if (this.otherEscaped) this.otherEscaped = false;
        else if (byte === BACKSLASH) this.otherEscaped = true;
        else if (byte === QUOTE) this.otherInString = false;
      } else if (byte === QUOTE) this.otherInString = true;
      else if (byte === 0x7b || byte === 0x5b) this.otherDepth++;
      else if (byte === 0x7d || byte === 0x5d) {
        if (this.otherDepth === 0) break;
        this.otherDepth--;
      } else if (byte === 0x2c && this.otherDepth === 0) break;
    }
    this.otherLength += i - start;
    if (this.otherLength > MAX_FIELD_BYTES) throw new DataStreamError('unsupported', `the answer's "${this.key}" field is too large`);
    this.otherParts.push(chunk.subarray(start, i));
    if (i < chunk.length) {
      const text = Buffer.concat(this.otherParts).toString('utf8');
      try {
        this.fields[this.key] = JSON.parse(text);
      } catch {
        throw new DataStreamError('malformed', `the answer's "${this.key}" field is not JSON`);
      }
      this.otherParts = [];
      this.state = 'afterValue';
    }
    return i;
  }
}
