// Reads received edXML packages. Packages come from other agencies' software over the axis and are
// treated as hostile: the file is streamed through sax in pieces, every bound in ParseLimits is
// checked as the text arrives (not after), no DTD is ever read (so no entity but the five XML ones
// and numeric references can expand), and attachment content is decoded straight to files without
// the base64 text or the file's bytes ever being held whole. A refused package leaves nothing
// behind in the work folder.
import { createHash, randomUUID, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sax from 'sax';
import yauzl from 'yauzl';
import { AppError } from '../../common/errors.js';
import { checkAttachmentName, MAX_SAME_NAMES } from './attachmentNames.js';
import { Base64Decoder, Base64Error } from './base64.js';
import {
  DEFAULT_PARSE_LIMITS,
  EDXML_NAMESPACE,
  STATUS_CODES,
  type Business,
  type BusinessDocType,
  type EdocHeader,
  type Organization,
  type ParsedPackage,
  type ParseLimits,
  type ReceivedAttachment,
  type ReceiverChange,
  type RefusalReason,
  type ResponseFor,
  type StaffInfo,
  type StatusCode,
  type StatusMessage,
} from './model.js';

const READ_CHUNK_BYTES = 64 * 1024;
// No edXML element carries more than a couple of attributes (namespace declarations, version,
// XMLDSig's Algorithm/URI); the bound stops one tag with millions of them from eating memory.
const MAX_ATTRIBUTES_PER_ELEMENT = 64;
// The header text kept for reading fields, summed over the package. maxTextChars bounds one value;
// this bounds many of them (20,000 elements of 64 KiB each would otherwise be over a gigabyte).
const MAX_KEPT_TEXT_CHARS = 4 * 1024 * 1024;
const ZIP_CONTENT_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);

// ---- refusals ------------------------------------------------------------------------------

function refusal(reason: RefusalReason, message: string, detail?: string): AppError {
  return new AppError('PACKAGE_REFUSED', message, detail === undefined ? { reason } : { reason, detail });
}

function missing(field: string): AppError {
  return refusal('missing-field', `The package has no ${field}`, field);
}

// ---- the element tree kept while reading ---------------------------------------------------

/** An element of the package with its text; attachment content is never part of it. */
interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

function childOf(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return parent?.children.find((c) => c.name === name);
}

function childrenOf(parent: XmlElement | undefined, name: string): XmlElement[] {
  return parent ? parent.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of a child element; undefined when it is absent or empty. */
function textOf(parent: XmlElement | undefined, name: string): string | undefined {
  const value = childOf(parent, name)?.text.trim();
  return value ? value : undefined;
}

/** Drops keys whose value is undefined, so an optional field is absent rather than present-but-undefined. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

// ---- attachment content, decoded to a file as it arrives -----------------------------------

/** One Attachment's ContentTransferEncoded, decoded into a temporary file in the work folder. */
class ContentSink {
  readonly decoder = new Base64Decoder();
  readonly hash: Hash = createHash('sha256');
  size = 0;
  /** Decoded bytes not yet written: at most what one read chunk of the package decodes to. */
  pending: Buffer[] = [];
  ended = false;
  file: fs.promises.FileHandle | null = null;
  closed = false;

  constructor(readonly tempPath: string) {}
}

/** What the reader found about one Attachment element: its fields (in the tree) and its content. */
interface AttachmentRead {
  element: XmlElement;
  sink: ContentSink | null;
}

interface Frame {
  element: XmlElement;
  /** False inside elements whose text is not kept (XMLDSig's Signature). */
  keep: boolean;
  textChars: number;
  /** Namespace prefixes in scope: only to tell a well-formed name from one with an unbound prefix. */
  prefixes: ReadonlyMap<string, string>;
  sink: ContentSink | null;
  attachment: AttachmentRead | null;
}

/** An attachment content's start tag, with any prefix; its content is read past sax. */
const CONTENT_START_TAG = /<(?:[A-Za-z_][\w.-]*:)?ContentTransferEncoded(?=[\s/>])[^>]*>/;
/** A start tag is at most this long (64 attributes of reasonable size); a longer "<…" is not held back. */
const MAX_HELD_BACK_CHARS = 16 * 1024;

/** Thrown from a sax handler to stop reading once peekPackage has what it needs. */
class EnoughRead extends Error {}

type ReaderMode = { kind: 'parse'; workDir: string; created: string[] } | { kind: 'peek' };

/**
 * Streams a package file through sax and keeps the element tree (without attachment content). In
 * parse mode attachment content goes to temporary files listed in `created`; in peek mode it is
 * skipped and reading stops at the end of the envelope header.
 */
class PackageReader {
  readonly root: XmlElement = { name: '', text: '', children: [] };
  readonly attachments: AttachmentRead[] = [];
  private readonly stack: Frame[] = [];
  private readonly parser: sax.SAXParser;
  private elements = 0;
  private attributesOfTag = 0;
  private keptChars = 0;
  private rootOpened = false;
  /** The end of the text before the root element, so that "<!DOCTYPE" split over two reads is seen. */
  private prologTail = '';
  /** The attachment whose base64 content is being read past sax (see write). */
  private rawSink: ContentSink | null = null;
  private sinksOpened = 0;
  /** A start tag cut by the end of the last piece read. */
  private heldBack = '';

  constructor(
    private readonly limits: ParseLimits,
    private readonly mode: ReaderMode,
  ) {
    // strictEntities: only the five XML entities (and numeric references) are known; any other
    // reference is an error, since nothing can declare one: a DOCTYPE is refused on sight.
    const options: sax.SAXOptions & { strictEntities: boolean } = { position: true, strictEntities: true };
    this.parser = sax.parser(true, options);
    this.parser.onerror = (error) => {
      // A DOCTYPE after the root element ("Inappropriately located doctype declaration").
      if (/doctype/i.test(error.message)) throw refusal('doctype-forbidden', 'The package has a DOCTYPE, which is not allowed');
      throw refusal('malformed-xml', `The package is not well-formed XML: ${error.message.split('\n')[0]}`, error.message.replace(/\n/g, ' '));
    };
    // A backstop: refuseDoctypeInProlog stops a DOCTYPE before sax gets to read it.
    this.parser.ondoctype = () => {
      throw refusal('doctype-forbidden', 'The package has a DOCTYPE, which is not allowed');
    };
    this.parser.onsgmldeclaration = (declaration) => {
      throw refusal('malformed-xml', 'The package has a markup declaration outside a DOCTYPE', declaration.slice(0, 100));
    };
    this.parser.onopentagstart = () => this.countElement();
    this.parser.onattribute = () => {
      if (++this.attributesOfTag > MAX_ATTRIBUTES_PER_ELEMENT) throw refusal('too-many', 'An element of the package has too many attributes');
    };
    this.parser.onopentag = (tag) => this.open(tag as sax.Tag);
    this.parser.ontext = (text) => this.text(text);
    this.parser.oncdata = (text) => this.text(text);
    this.parser.onclosetag = () => this.close();
  }

  async readFile(file: string): Promise<void> {
    const handle = await fs.promises.open(file, 'r');
    try {
      const chunk = Buffer.alloc(READ_CHUNK_BYTES);
      let decoder: TextDecoder | null = null;
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > this.limits.maxPackageBytes) throw refusal('too-large', 'The package is larger than allowed');
        const bytes = chunk.subarray(0, bytesRead);
        decoder ??= new TextDecoder(encodingOf(bytes), { fatal: true });
        if (!this.feed(() => decoder!.decode(bytes, { stream: true }))) return;
        await this.flushContent();
      }
      if (!this.feed(() => decoder?.decode() ?? '', true)) return;
      this.parser.close();
      await this.flushContent();
    } finally {
      await handle.close();
    }
  }

  /** Passes decoded text to sax; false once a handler has said enough was read (peek). */
  private feed(decode: () => string, final = false): boolean {
    let text: string;
    try {
      text = decode();
    } catch {
      throw refusal('malformed-xml', 'The package is not valid UTF-8 (or UTF-16 with a byte order mark)');
    }
    this.refuseDoctypeInProlog(text);
    try {
      this.write(text, final);
      return true;
    } catch (error) {
      if (error instanceof EnoughRead) return false;
      throw error;
    }
  }

  /**
   * Gives the text to sax, except an attachment's base64 content, which sax would walk one
   * character at a time (most of a package, and most of the time spent receiving one): the text
   * is cut right after each ContentTransferEncoded start tag, and once sax has opened that
   * element, what follows up to the next "<" goes straight to the decoder. Anything unusual there
   * (an entity reference) goes through sax as before, for the rest of that element.
   */
  private write(text: string, final: boolean): void {
    let rest = this.heldBack + text;
    this.heldBack = '';
    while (rest.length > 0) {
      if (this.rawSink) {
        const lt = rest.indexOf('<');
        const content = lt < 0 ? rest : rest.slice(0, lt);
        if (content.includes('&')) {
          this.rawSink = null;
          continue;
        }
        const sink = this.rawSink;
        if (content) this.append(sink, () => sink.decoder.push(content));
        if (lt < 0) return;
        this.rawSink = null;
        rest = rest.slice(lt);
      }
      const start = CONTENT_START_TAG.exec(rest);
      if (!start) {
        // A start tag cut by the end of this piece waits for the next one, so that it is seen whole.
        const lt = rest.lastIndexOf('<');
        const cut = !final && lt >= 0 && rest.indexOf('>', lt) < 0 && rest.length - lt <= MAX_HELD_BACK_CHARS;
        this.parser.write(cut ? rest.slice(0, lt) : rest);
        if (cut) this.heldBack = rest.slice(lt);
        return;
      }
      const end = start.index + start[0].length;
      const opened = this.sinksOpened;
      this.parser.write(rest.slice(0, end));
      rest = rest.slice(end);
      const top = this.stack.at(-1);
      // Only if sax really opened the element here (not in a comment, not a self-closing tag).
      if (this.sinksOpened !== opened && top?.sink && !top.sink.ended) this.rawSink = top.sink;
    }
  }

  /**
   * sax reports a DOCTYPE only once it has read all of it, and reports a DTD too big for its
   * buffers as some other error; a DOCTYPE is refused here, on sight, before sax buffers any of it.
   * Only the prolog is looked at: the same letters later on (in a CDATA section, say) are text.
   */
  private refuseDoctypeInProlog(text: string): void {
    if (this.rootOpened) return;
    const prolog = this.prologTail + text;
    const doctype = prolog.search(/<!DOCTYPE/i);
    const firstElement = prolog.search(/<[A-Za-z_]/);
    if (doctype >= 0 && (firstElement < 0 || doctype < firstElement)) {
      throw refusal('doctype-forbidden', 'The package has a DOCTYPE, which is not allowed');
    }
    this.prologTail = prolog.slice(-8);
  }

  private countElement(): void {
    this.attributesOfTag = 0;
    if (++this.elements > this.limits.maxElements) throw refusal('too-many', 'The package has too many elements');
    if (this.stack.length + 1 > this.limits.maxDepth) throw refusal('too-deep', 'The package is nested too deeply');
    if (this.stack.at(-1)?.sink) throw refusal('bad-base64', 'An attachment holds markup inside its base64 content');
  }

  private open(tag: sax.Tag): void {
    const parent = this.stack.at(-1);
    const prefixes = declaredPrefixes(tag.attributes, parent?.prefixes ?? XML_PREFIXES);
    const colon = tag.name.indexOf(':');
    const prefix = colon < 0 ? '' : tag.name.slice(0, colon);
    const name = colon < 0 ? tag.name : tag.name.slice(colon + 1);
    if (prefix && !prefixes.has(prefix)) throw refusal('malformed-xml', `The package uses an undeclared namespace prefix: ${prefix}`);
    if (!parent) {
      this.rootOpened = true;
      if (name !== 'edXML' || prefixes.get(prefix) !== EDXML_NAMESPACE) {
        throw refusal('not-edxml', `The root element is not edXML in ${EDXML_NAMESPACE}`, tag.name.slice(0, 100));
      }
    }
    if (this.mode.kind === 'peek' && (name === 'edXMLBody' || name === 'AttachmentEncoded')) throw new EnoughRead();

    const element: XmlElement = { name, text: '', children: [] };
    const keep = (parent?.keep ?? true) && name !== 'Signature';
    if (keep) (parent?.element ?? this.root).children.push(element);

    let attachment: AttachmentRead | null = null;
    let sink: ContentSink | null = null;
    if (name === 'Attachment' && parent?.element.name === 'AttachmentEncoded') {
      attachment = { element, sink: null };
      this.attachments.push(attachment);
      if (this.attachments.length > this.limits.maxAttachments) throw refusal('too-many', 'The package has too many attachments');
    } else if (name === 'ContentTransferEncoded' && parent?.attachment && parent.attachment.element === parent.element) {
      if (parent.attachment.sink) throw refusal('attachment-mismatch', 'An attachment has its content twice');
      if (this.mode.kind === 'parse') {
        sink = new ContentSink(path.join(this.mode.workDir, `.edxml-${randomUUID()}.part`));
        parent.attachment.sink = sink;
        this.sinksOpened++;
      }
    }
    this.stack.push({ element, keep, textChars: 0, prefixes, sink, attachment: attachment ?? parent?.attachment ?? null });
  }

  private text(text: string): void {
    const frame = this.stack.at(-1);
    if (!frame) return; // whitespace around the root element
    const sink = frame.sink;
    if (sink) {
      this.append(sink, () => sink.decoder.push(text));
      return;
    }
    frame.textChars += text.length;
    if (frame.textChars > this.limits.maxTextChars) throw refusal('too-large', `The text of ${frame.element.name} is longer than allowed`, frame.element.name);
    if (!frame.keep) return;
    this.keptChars += text.length;
    if (this.keptChars > MAX_KEPT_TEXT_CHARS) throw refusal('too-large', 'The package header holds more text than allowed');
    frame.element.text += text;
  }

  private close(): void {
    const frame = this.stack.pop();
    if (frame?.sink) {
      this.append(frame.sink, () => frame.sink!.decoder.finish());
      frame.sink.ended = true;
    }
    if (this.mode.kind === 'peek' && frame?.element.name === 'edXMLHeader') throw new EnoughRead();
  }

  /** Adds decoded content to what the sink will write, bounding the attachment's size as it grows. */
  private append(sink: ContentSink, decode: () => Buffer): void {
    let bytes: Buffer;
    try {
      bytes = decode();
    } catch (error) {
      if (error instanceof Base64Error) throw refusal('bad-base64', `An attachment's content is not valid base64: ${error.message}`, error.message);
      throw error;
    }
    if (bytes.length === 0) return;
    sink.size += bytes.length;
    if (sink.size > this.limits.maxAttachmentBytes) throw refusal('too-large', 'An attachment is larger than allowed');
    sink.hash.update(bytes);
    sink.pending.push(bytes);
  }

  /** Writes what the last piece of the package decoded to; opens and closes the files as needed. */
  private async flushContent(): Promise<void> {
    if (this.mode.kind !== 'parse') return;
    for (const { sink } of this.attachments) {
      if (!sink || sink.closed) continue;
      if (!sink.file) {
        this.mode.created.push(sink.tempPath);
        sink.file = await fs.promises.open(sink.tempPath, 'wx');
      }
      for (const bytes of sink.pending.splice(0)) await sink.file.write(bytes);
      if (sink.ended) {
        sink.closed = true;
        await sink.file.close();
      }
    }
  }

  /** Closes any file left open when reading stopped on an error. */
  async closeFiles(): Promise<void> {
    for (const { sink } of this.attachments) {
      if (sink?.file && !sink.closed) {
        sink.closed = true;
        await sink.file.close().catch(() => undefined);
      }
    }
  }
}

const XML_PREFIXES: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

function declaredPrefixes(attributes: Record<string, string>, inherited: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let prefixes: Map<string, string> | null = null;
  for (const [attribute, value] of Object.entries(attributes)) {
    if (attribute !== 'xmlns' && !attribute.startsWith('xmlns:')) continue;
    prefixes ??= new Map(inherited);
    prefixes.set(attribute === 'xmlns' ? '' : attribute.slice(6), value);
  }
  return prefixes ?? inherited;
}

/** UTF-8 unless a UTF-16 byte order mark says otherwise (the decoder drops the mark itself). */
function encodingOf(firstBytes: Buffer): string {
  if (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) return 'utf-16le';
  if (firstBytes[0] === 0xfe && firstBytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

// ---- from the tree to the model ------------------------------------------------------------

interface PackageParts {
  envelope: XmlElement | undefined;
  header: XmlElement | undefined;
  messageHeader: XmlElement | undefined;
  /** QCVN's text puts a status's fields in a Status element; the SDK's samples put them in MessageHeader. */
  status: XmlElement | undefined;
  traceList: XmlElement | undefined;
  manifest: XmlElement | undefined;
}

function partsOf(root: XmlElement): PackageParts {
  const edxml = childOf(root, 'edXML');
  const envelope = childOf(edxml, 'edXMLEnvelope');
  const header = childOf(envelope, 'edXMLHeader');
  const messageHeader = childOf(header, 'MessageHeader');
  const body = childOf(envelope, 'edXMLBody');
  const status = childOf(messageHeader, 'Status') ?? childOf(header, 'Status') ?? childOf(body, 'Status');
  return { envelope, header, messageHeader, status, traceList: childOf(header, 'TraceHeaderList'), manifest: childOf(body, 'edXMLManifest') };
}

/** A status code as sent, with a lost leading zero put back ('1' → '01'); null if it is no known code. */
function statusCodeOf(text: string | undefined): StatusCode | null {
  if (text === undefined) return null;
  const code = /^\d$/.test(text) ? `0${text}` : text;
  return (STATUS_CODES as readonly string[]).includes(code) ? (code as StatusCode) : null;
}

function statusCodeText(parts: PackageParts): string | undefined {
  return textOf(parts.status, 'StatusCode') ?? textOf(parts.messageHeader, 'StatusCode');
}

function businessDocTypeOf(text: string | undefined): BusinessDocType | null {
  if (text === undefined) return 0;
  return text === '0' || text === '1' || text === '2' || text === '3' ? (Number(text) as BusinessDocType) : null;
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function organizationOf(element: XmlElement, field: string): Organization {
  const organId = textOf(element, 'OrganId');
  if (!organId) throw missing(`${field}/OrganId`);
  return compact({
    organId,
    organName: textOf(element, 'OrganName') ?? '',
    organizationInCharge: textOf(element, 'OrganizationInCharge'),
    organAdd: textOf(element, 'OrganAdd'),
    email: textOf(element, 'Email'),
    telephone: textOf(element, 'Telephone'),
    fax: textOf(element, 'Fax'),
    website: textOf(element, 'Website'),
  });
}

function staffOf(element: XmlElement | undefined): StaffInfo | undefined {
  if (!element) return undefined;
  return compact({
    department: textOf(element, 'Department'),
    staff: textOf(element, 'Staff'),
    email: textOf(element, 'Email'),
    mobile: textOf(element, 'Mobile'),
  });
}

function responseForOf(element: XmlElement): ResponseFor {
  return compact({
    organId: textOf(element, 'OrganId') ?? '',
    code: textOf(element, 'Code') ?? '',
    promulgationDate: textOf(element, 'PromulgationDate'),
    documentId: textOf(element, 'DocumentId') ?? '',
  });
}

function businessOf(element: XmlElement | undefined): Business {
  if (!element) return { docType: 0, reason: '' };
  const docType = businessDocTypeOf(textOf(element, 'BussinessDocType'));
  if (docType === null) throw refusal('missing-field', 'The package has no known BussinessDocType', 'Bussiness/BussinessDocType');
  const paperText = textOf(element, 'Paper');
  const receiverList = childOf(childOf(element, 'BussinessDocumentInfo'), 'ReceiverList') ?? childOf(element, 'ReceiverList');
  const replacementList = childOf(element, 'ReplacementInfoList');
  return compact({
    docType,
    reason: textOf(element, 'BussinessDocReason') ?? '',
    documentId: textOf(element, 'DocumentId'),
    paper: paperText === '1' || paperText === 'true' ? true : paperText === '0' || paperText === 'false' ? false : undefined,
    staff: staffOf(childOf(element, 'StaffInfo')),
    replacements: replacementList
      ? childrenOf(replacementList, 'ReplacementInfo').map((r) => ({
          documentId: textOf(r, 'DocumentId') ?? '',
          organIds: childrenOf(childOf(r, 'OrganIdList'), 'OrganId')
            .map((o) => o.text.trim())
            .filter((id) => id !== ''),
        }))
      : undefined,
    receiverChanges: receiverList ? childrenOf(receiverList, 'Receiver').map(receiverChangeOf) : undefined,
  });
}

function receiverChangeOf(element: XmlElement): ReceiverChange {
  const organId = textOf(element, 'OrganId');
  const type = textOf(element, 'ReceiverType');
  // A receiver change that cannot be read would silently keep or drop an agency: refuse instead.
  if (!organId || (type !== '0' && type !== '1')) throw refusal('missing-field', 'A receiver change has no agency or no known ReceiverType', 'Receiver');
  return { organId, receiverType: type === '1' ? 1 : 0 };
}

function edocHeaderOf(parts: PackageParts): EdocHeader {
  const h = parts.messageHeader;
  const fromElement = childOf(h, 'From');
  if (!fromElement) throw missing('From/OrganId');
  const toElements = childrenOf(h, 'To');
  if (toElements.length === 0) throw missing('To');
  const documentId = textOf(h, 'DocumentId');
  if (!documentId) throw missing('DocumentId');
  const subject = textOf(h, 'Subject');
  if (!subject) throw missing('Subject');
  const code = childOf(h, 'Code');
  const promulgation = childOf(h, 'PromulgationInfo');
  const documentType = childOf(h, 'DocumentType');
  const signer = childOf(h, 'SignerInfo');
  const other = childOf(h, 'OtherInfo');
  return compact({
    from: organizationOf(fromElement, 'From'),
    to: toElements.map((to) => organizationOf(to, 'To')),
    documentId,
    code: { number: textOf(code, 'CodeNumber') ?? '', notation: textOf(code, 'CodeNotation') ?? '' },
    promulgation: { place: textOf(promulgation, 'Place') ?? '', date: textOf(promulgation, 'PromulgationDate') ?? '' },
    documentType: compact({
      type: textOf(documentType, 'Type') ?? '',
      typeDetail: textOf(documentType, 'TypeDetail'),
      typeName: textOf(documentType, 'TypeName') ?? '',
    }),
    subject,
    content: textOf(h, 'Content'),
    signer: compact({ competence: textOf(signer, 'Competence'), position: textOf(signer, 'Position'), fullName: textOf(signer, 'FullName') ?? '' }),
    dueDate: textOf(h, 'DueDate'),
    toPlaces: childrenOf(childOf(h, 'ToPlaces'), 'Place')
      .map((p) => p.text.trim())
      .filter((p) => p !== ''),
    other: compact({
      priority: textOf(other, 'Priority'),
      sphereOfPromulgation: textOf(other, 'SphereOfPromulgation'),
      typerNotation: textOf(other, 'TyperNotation'),
      promulgationAmount: wholeNumber(textOf(other, 'PromulgationAmount')),
      pageAmount: wholeNumber(textOf(other, 'PageAmount')),
      appendixes: childrenOf(childOf(other, 'Appendixes'), 'Appendix')
        .map((a) => a.text.trim())
        .filter((a) => a !== ''),
    }),
    steeringType: textOf(h, 'SteeringType'),
    responseFor: childrenOf(h, 'ResponseFor').map(responseForOf),
    trace: childrenOf(parts.traceList, 'TraceHeader').map((t) => ({ organId: textOf(t, 'OrganId') ?? '', timestamp: textOf(t, 'Timestamp') ?? '' })),
    business: businessOf(childOf(parts.traceList, 'Bussiness')),
  });
}

function statusOf(parts: PackageParts): StatusMessage {
  // Each field is looked for in the Status element first, then in MessageHeader.
  const field = (name: string): XmlElement | undefined => childOf(parts.status, name) ?? childOf(parts.messageHeader, name);
  const fieldText = (name: string): string | undefined => textOf(parts.status, name) ?? textOf(parts.messageHeader, name);
  const fromElement = field('From');
  if (!fromElement) throw missing('From/OrganId');
  const responseForElement = field('ResponseFor');
  const responseFor = responseForElement ? responseForOf(responseForElement) : undefined;
  if (!responseFor?.documentId) throw missing('ResponseFor/DocumentId');
  const statusCode = statusCodeOf(fieldText('StatusCode'));
  if (!statusCode) throw missing('StatusCode');
  return compact({
    from: organizationOf(fromElement, 'From'),
    responseFor,
    statusCode,
    description: fieldText('Description') ?? '',
    timestamp: fieldText('Timestamp') ?? '',
    staff: staffOf(field('StaffInfo')),
  });
}

// ---- attachments ---------------------------------------------------------------------------

/** Content ids are compared without the `cid:` scheme, which some senders write and some do not. */
function contentKey(contentId: string): string {
  return contentId.replace(/^cid:/i, '').trim();
}

interface AttachmentFields {
  contentId: string;
  name: string;
  description: string;
  contentType: string;
  sink: ContentSink;
}

function attachmentFieldsOf(reader: PackageReader, manifest: XmlElement | undefined): AttachmentFields[] {
  const references = new Map<string, XmlElement>();
  for (const reference of childrenOf(manifest, 'Reference')) {
    const key = contentKey(textOf(reference, 'ContentId') ?? '');
    if (references.has(key)) throw refusal('attachment-mismatch', 'The manifest lists a content id twice', key);
    references.set(key, reference);
  }
  const seen = new Set<string>();
  const fields = reader.attachments.map(({ element, sink }) => {
    const contentId = textOf(element, 'ContentId') ?? '';
    const key = contentKey(contentId);
    if (seen.has(key)) throw refusal('attachment-mismatch', 'Two attachments have the same content id', key);
    seen.add(key);
    const reference = references.get(key);
    // Some senders leave the manifest out altogether; when there is one, it must match.
    if (manifest && !reference) throw refusal('attachment-mismatch', 'An attachment is not in the manifest', key);
    if (!sink) throw missing('Attachment/ContentTransferEncoded');
    const sentName = textOf(element, 'AttachmentName') ?? textOf(reference, 'AttachmentName') ?? '';
    return {
      contentId,
      name: checkAttachmentName(sentName),
      description: textOf(element, 'Description') ?? textOf(reference, 'Description') ?? '',
      contentType: (textOf(element, 'ContentType') ?? textOf(reference, 'ContentType') ?? '').toLowerCase(),
      sink,
    };
  });
  for (const key of references.keys()) {
    if (!seen.has(key)) throw refusal('attachment-mismatch', 'The manifest lists an attachment the package does not carry', key);
  }
  return fields;
}

const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  rtf: 'application/rtf',
  txt: 'text/plain',
  xml: 'application/xml',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

function extensionOf(name: string): string {
  return path.extname(name).slice(1).toLowerCase();
}

/** The content type of an unzipped file, from its first bytes where they are telling, else its extension. */
function sniffContentType(magic: Buffer, name: string): string {
  const extension = extensionOf(name);
  const byExtension = CONTENT_TYPE_BY_EXTENSION[extension];
  if (magic.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
  if (magic.subarray(0, 2).toString('latin1') === 'PK') {
    // OOXML and OpenDocument files are zips themselves; only their extension tells which.
    return ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'].includes(extension) ? byExtension! : 'application/zip';
  }
  if (magic.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return extension === 'xls' || extension === 'ppt' ? byExtension! : 'application/msword';
  }
  return byExtension ?? 'application/octet-stream';
}

/** Where files of one package go: unique names in the work folder, every one recorded for cleanup. */
class OutputFiles {
  /** Bytes written for the package's attachments, after unzipping: bounded so zips cannot fill the disk. */
  written = 0;

  constructor(
    private readonly workDir: string,
    readonly created: string[],
    private readonly limits: ParseLimits,
  ) {}

  /**
   * Creates an empty file named as close to `name` as the folder allows ("a.pdf", "a (2).pdf", …);
   * checkAttachmentName left room in the name for the suffix.
   */
  async reserve(name: string): Promise<string> {
    const extension = path.extname(name);
    const base = name.slice(0, name.length - extension.length);
    for (let n = 1; n <= MAX_SAME_NAMES; n++) {
      const candidate = path.join(this.workDir, n === 1 ? name : `${base} (${n})${extension}`);
      try {
        await (await fs.promises.open(candidate, 'wx')).close();
        this.created.push(candidate);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw refusal('too-many', `More than ${MAX_SAME_NAMES} attachments are named alike`, name);
  }

  count(bytes: number): void {
    this.written += bytes;
    if (this.written > this.limits.maxPackageBytes) throw refusal('too-large', 'The attachments unpack to more than allowed');
  }
}

/** Counts, hashes and bounds the bytes of one unzipped entry as they pass; keeps its first bytes. */
class EntryMeter extends Transform {
  size = 0;
  magic = Buffer.alloc(0);
  readonly hash = createHash('sha256');

  constructor(
    private readonly maxBytes: number,
    private readonly files: OutputFiles,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    try {
      if (this.size > this.maxBytes) throw refusal('too-large', 'A zipped attachment unpacks to more than allowed');
      this.files.count(chunk.length);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (this.magic.length < 8) this.magic = Buffer.concat([this.magic, chunk.subarray(0, 8 - this.magic.length)]);
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

function badZip(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return refusal('bad-zip', `A zipped attachment cannot be opened: ${message}`, message);
}

/** A zip entry's full name inside the zip (folders included), decoded as yauzl would. */
function entryPathOf(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

/** A zip entry's name, reduced to a checked file name (folders inside the zip are dropped). */
function entryFileName(entryPath: string): string {
  const problem = yauzl.validateFileName(entryPath);
  if (problem) throw refusal('bad-attachment-name', `A zipped attachment has an unsafe name: ${problem}`, problem);
  return checkAttachmentName(entryPath.slice(entryPath.lastIndexOf('/') + 1));
}

async function unzipAttachment(attachment: AttachmentFields, files: OutputFiles, limits: ParseLimits, attachmentsSoFar: number): Promise<ReceivedAttachment[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(attachment.sink.tempPath, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, autoClose: false });
  } catch (error) {
    throw badZip(error);
  }
  const unzipped: ReceivedAttachment[] = [];
  try {
    // Declared sizes are checked before anything is inflated; validateEntrySizes makes yauzl fail
    // an entry whose real size differs, and EntryMeter bounds the bytes as they come regardless.
    let budget = limits.maxAttachmentBytes;
    for await (const entry of zip.eachEntry()) {
      const entryPath = entryPathOf(entry);
      if (entryPath.endsWith('/')) continue; // a folder
      if (entry.isEncrypted()) throw refusal('bad-zip', 'A zipped attachment is encrypted');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw refusal('bad-zip', 'A zipped attachment uses an unsupported compression method');
      if (attachmentsSoFar + unzipped.length + 1 > limits.maxAttachments) throw refusal('too-many', 'The package has too many attachments once unzipped');
      if (entry.uncompressedSize > budget) throw refusal('too-large', 'A zipped attachment unpacks to more than allowed');
      budget -= entry.uncompressedSize;
      unzipped.push(await extractEntry(zip, entry, entryFileName(entryPath), attachment, files, limits));
    }
  } catch (error) {
    throw badZip(error);
  } finally {
    zip.close();
  }
  if (unzipped.length === 0) throw refusal('bad-zip', 'A zipped attachment holds no file');
  if (unzipped.length === 1) {
    await renameSingleEntry(unzipped[0]!, attachment.name, files);
  } else {
    for (const received of unzipped) await moveTo(received, received.name, files);
  }
  return unzipped;
}

/** Unzips one entry into a temporary file: its final name depends on whether it is the only one. */
async function extractEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  entryName: string,
  attachment: AttachmentFields,
  files: OutputFiles,
  limits: ParseLimits,
): Promise<ReceivedAttachment> {
  const target = await files.reserve(`.edxml-${randomUUID()}.part`);
  const meter = new EntryMeter(limits.maxAttachmentBytes, files);
  await pipeline(await zip.openReadStreamPromise(entry), meter, fs.createWriteStream(target));
  return {
    contentId: attachment.contentId,
    name: entryName,
    description: attachment.description,
    contentType: sniffContentType(meter.magic, entryName),
    wasZipped: true,
    path: target,
    size: meter.size,
    sha256: meter.hash.digest('hex'),
  };
}

async function moveTo(received: ReceivedAttachment, name: string, files: OutputFiles): Promise<void> {
  const target = await files.reserve(name);
  await fs.promises.rename(received.path, target);
  received.path = target;
  received.name = name;
}

/**
 * A zip holding one file stands for the attachment itself: the file keeps the name the sender gave
 * the attachment, but with the extension of what is really inside (the SDK's sample calls a zipped
 * PDF "….doc").
 */
async function renameSingleEntry(received: ReceivedAttachment, attachmentName: string, files: OutputFiles): Promise<void> {
  const realExtension = path.extname(received.name);
  const sentExtension = path.extname(attachmentName);
  const name =
    realExtension && realExtension.toLowerCase() !== sentExtension.toLowerCase()
      ? checkAttachmentName(attachmentName.slice(0, attachmentName.length - sentExtension.length) + realExtension)
      : attachmentName;
  received.contentType = sniffContentType(await firstBytes(received.path), name);
  await moveTo(received, name, files);
}

async function firstBytes(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function receiveAttachments(fields: AttachmentFields[], files: OutputFiles, limits: ParseLimits): Promise<ReceivedAttachment[]> {
  const received: ReceivedAttachment[] = [];
  for (const attachment of fields) {
    const zipped = ZIP_CONTENT_TYPES.has(attachment.contentType) && extensionOf(attachment.name) !== 'zip';
    if (zipped) {
      received.push(...(await unzipAttachment(attachment, files, limits, received.length)));
      await fs.promises.rm(attachment.sink.tempPath, { force: true });
      continue;
    }
    files.count(attachment.sink.size);
    if (received.length + 1 > limits.maxAttachments) throw refusal('too-many', 'The package has too many attachments');
    const target = await files.reserve(attachment.name);
    await fs.promises.rename(attachment.sink.tempPath, target);
    received.push({
      contentId: attachment.contentId,
      name: attachment.name,
      description: attachment.description,
      contentType: attachment.contentType || (CONTENT_TYPE_BY_EXTENSION[extensionOf(attachment.name)] ?? 'application/octet-stream'),
      wasZipped: false,
      path: target,
      size: attachment.sink.size,
      sha256: attachment.sink.hash.digest('hex'),
    });
  }
  return received;
}

// ---- the two entry points ------------------------------------------------------------------

/**
 * Failures of this machine rather than of the package (a full or read-only disk, too many open
 * files, a folder removed or locked under us): passed on as they are, so that the inbox tries the
 * package again later, up to its limit.
 */
const LOCAL_FAILURE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ENOMEM', 'ENOENT']);

/**
 * Any other failure while reading a package is the package's doing — a file name the file system
 * will not take (ENAMETOOLONG, EILSEQ, EINVAL), content that trips something unforeseen — and would
 * fail the same way every time: it becomes a refusal, so that the package is answered and leaves
 * the inbox instead of being fetched again on every pass.
 */
function asRefusal(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && LOCAL_FAILURE_CODES.has(code)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return refusal('unreadable', `The package could not be read: ${message}`, message.slice(0, 500));
}

async function removeAll(paths: string[]): Promise<void> {
  for (const file of paths) await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

/** Parses a received package file. Attachments are base64-decoded (streamed) into new files inside options.workDir; zip-wrapped ones are unwrapped. On refusal throws AppError('PACKAGE_REFUSED', englishMessage, { reason: RefusalReason, detail?: string }) and removes every file it created; only a failure of this machine (asRefusal) is thrown as it is. */
export async function parsePackage(file: string, options: { workDir: string; limits?: Partial<ParseLimits> }): Promise<ParsedPackage> {
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const { size } = await fs.promises.stat(file);
  if (size > limits.maxPackageBytes) throw refusal('too-large', 'The package is larger than allowed');
  const created: string[] = [];
  const reader = new PackageReader(limits, { kind: 'parse', workDir: options.workDir, created });
  try {
    await reader.readFile(file);
    const parts = partsOf(reader.root);
    if (statusCodeText(parts) !== undefined) {
      const status = statusOf(parts);
      await removeAll(created);
      return { kind: 'status', status };
    }
    const header = edocHeaderOf(parts);
    const fields = attachmentFieldsOf(reader, parts.manifest);
    const attachments = await receiveAttachments(fields, new OutputFiles(options.workDir, created, limits), limits);
    return { kind: 'edoc', header, attachments };
  } catch (error) {
    await reader.closeFiles();
    await removeAll(created);
    throw asRefusal(error);
  }
}

/** Reads only as far as needed to tell what the package is (stops early, does not decode attachments); used by the reference axis server to deduplicate and by the inbox to name a refused package in its answer. Refuses like parsePackage for malformed XML / DOCTYPE. */
export async function peekPackage(file: string): Promise<{
  kind: 'edoc' | 'status';
  documentId: string | null;
  from: string | null;
  businessDocType: BusinessDocType | null;
  statusCode: StatusCode | null;
  responseForDocumentId: string | null;
}> {
  const parts = await peekParts(file);
  const fieldOf = (name: string): XmlElement | undefined => childOf(parts.status, name) ?? childOf(parts.messageHeader, name);
  const from = textOf(fieldOf('From'), 'OrganId') ?? null;
  const responseForDocumentId = textOf(fieldOf('ResponseFor'), 'DocumentId') ?? null;
  const statusText = statusCodeText(parts);
  if (statusText !== undefined) {
    return { kind: 'status', documentId: null, from, businessDocType: null, statusCode: statusCodeOf(statusText), responseForDocumentId };
  }
  return {
    kind: 'edoc',
    documentId: textOf(parts.messageHeader, 'DocumentId') ?? null,
    from,
    businessDocType: businessDocTypeOf(textOf(childOf(parts.traceList, 'Bussiness'), 'BussinessDocType')),
    statusCode: null,
    responseForDocumentId,
  };
}

/**
 * Whom a package is addressed to, by agency code: the To organisations of a document; for a
 * status, the organisation of the document it answers (ResponseFor), which is where a status goes.
 * Read as peekPackage reads; used by the reference axis to route a package sent without a `to`
 * header, as the national SDK's own sample sends it.
 */
export async function peekAddressees(file: string): Promise<string[]> {
  const parts = await peekParts(file);
  const organs =
    statusCodeText(parts) !== undefined
      ? [childOf(parts.status, 'ResponseFor') ?? childOf(parts.messageHeader, 'ResponseFor')]
      : childrenOf(parts.messageHeader, 'To');
  return [...new Set(organs.map((organ) => textOf(organ, 'OrganId')).filter((code): code is string => code !== undefined))];
}

async function peekParts(file: string): Promise<PackageParts> {
  const reader = new PackageReader(DEFAULT_PARSE_LIMITS, { kind: 'peek' });
  await reader.readFile(file);
  return partsOf(reader.root);
}
