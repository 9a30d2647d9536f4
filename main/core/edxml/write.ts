// Writes edXML packages (QCVN 102:2016) as the national axis SDK's own samples lay them out: every
// envelope element carries the edXML: prefix (the axis's .NET deserializer has refused unprefixed
// ones), the attachments follow the envelope in an unprefixed AttachmentEncoded, and each file's
// base64 is one line inside a prefixed ContentTransferEncoded. Attachments stream from disk in
// pieces, so a package is never held in memory whole.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../common/errors.js';
import { checkAttachmentName } from './attachmentNames.js';
import {
  EDXML_NAMESPACE,
  type AttachmentToWrite,
  type Business,
  type EdocHeader,
  type Organization,
  type ResponseFor,
  type StaffInfo,
  type StatusMessage,
} from './model.js';

// Field limits one axis implementation enforces; a package beyond them would be refused there, so
// it is refused here first, where the clerk can still fix it.
const MAX_SUBJECT_CHARS = 500;
const MAX_CONTENT_CHARS = 500;
const MAX_PLACE_CHARS = 150;
const MAX_APPENDIX_CHARS = 250;
const MAX_ATTACHMENT_NAME_CHARS = 200;
// A multiple of 3, so each piece read from an attachment becomes whole base64 groups.
/** A multiple of 3 (whole base64 groups per piece), large enough that per-call costs vanish. */
const ATTACHMENT_READ_BYTES = 3 * 256 * 1024;
const PREFIX = 'edXML:';


// ---- XML text ------------------------------------------------------------------------------

// Everything XML 1.0 allows in a document; the rest (most C0 controls, lone surrogates, U+FFFE/F)
// would make the package malformed, so it is dropped rather than sent.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A raw CR would be turned into LF by the reader's end-of-line handling; a reference survives.
    .replace(/\r/g, '&#13;');
}

type XmlNode = { name: string; text: string } | { name: string; children: XmlNode[]; attributes?: string };

/** An element with text, or nothing when the value is absent. */
function leaf(name: string, value: string | number | undefined): XmlNode | null {
  return value === undefined ? null : { name, text: String(value) };
}

/** An element holding the given children; absent ones are skipped, and with none left so is the element. */
function group(name: string, children: (XmlNode | null)[]): XmlNode | null {
  const present = children.filter((c): c is XmlNode => c !== null);
  return present.length === 0 ? null : { name, children: present };
}

function serialize(node: XmlNode, prefix: string, indent: string): string {
  const tag = prefix + node.name;
  if ('text' in node) return `${indent}<${tag}>${escapeText(node.text)}</${tag}>\n`;
  const open = node.attributes ? `${tag} ${node.attributes}` : tag;
  const inner = node.children.map((c) => serialize(c, prefix, `${indent}  `)).join('');
  return `${indent}<${open}>\n${inner}${indent}</${tag}>\n`;
}

// ---- the header ----------------------------------------------------------------------------

function organization(name: 'From' | 'To', org: Organization): XmlNode | null {
  return group(name, [
    leaf('OrganId', org.organId),
    leaf('OrganizationInCharge', org.organizationInCharge),
    leaf('OrganName', org.organName),
    leaf('OrganAdd', org.organAdd),
    leaf('Email', org.email),
    leaf('Telephone', org.telephone),
    leaf('Fax', org.fax),
    leaf('Website', org.website),
  ]);
}

function responseFor(r: ResponseFor): XmlNode | null {
  return group('ResponseFor', [
    leaf('OrganId', r.organId),
    leaf('Code', r.code),
    leaf('PromulgationDate', r.promulgationDate),
    leaf('DocumentId', r.documentId),
  ]);
}

function staffInfo(staff: StaffInfo | undefined): XmlNode | null {
  if (!staff) return null;
  return group('StaffInfo', [leaf('Department', staff.department), leaf('Staff', staff.staff), leaf('Email', staff.email), leaf('Mobile', staff.mobile)]);
}

function business(b: Business): XmlNode | null {
  const receiverChanges = b.receiverChanges ?? [];
  const replacements = b.replacements ?? [];
  return group('Bussiness', [
    leaf('DocumentId', b.documentId),
    leaf('BussinessDocType', b.docType),
    leaf('BussinessDocReason', b.reason),
    leaf('Paper', b.paper === undefined ? undefined : b.paper ? 1 : 0),
    receiverChanges.length === 0
      ? null
      : group('BussinessDocumentInfo', [
          // The SDK's update sample flags what the update touches: the document's own details
          // (an update always carries them again) and, here, its list of receivers.
          leaf('DocumentInfo', b.docType === 2 ? 1 : 0),
          leaf('DocumentReceiver', 1),
          group(
            'ReceiverList',
            receiverChanges.map((r) => group('Receiver', [leaf('OrganId', r.organId), leaf('ReceiverType', r.receiverType)])),
          ),
        ]),
    group(
      'ReplacementInfoList',
      replacements.map((r) =>
        group('ReplacementInfo', [leaf('DocumentId', r.documentId), group('OrganIdList', r.organIds.map((id) => leaf('OrganId', id)))]),
      ),
    ),
    staffInfo(b.staff),
  ]);
}

function messageHeader(h: EdocHeader): XmlNode | null {
  return group('MessageHeader', [
    organization('From', h.from),
    ...h.to.map((to) => organization('To', to)),
    leaf('DocumentId', h.documentId),
    group('Code', [leaf('CodeNumber', h.code.number), leaf('CodeNotation', h.code.notation)]),
    group('PromulgationInfo', [leaf('Place', h.promulgation.place), leaf('PromulgationDate', h.promulgation.date)]),
    group('DocumentType', [leaf('Type', h.documentType.type), leaf('TypeDetail', h.documentType.typeDetail), leaf('TypeName', h.documentType.typeName)]),
    leaf('Subject', h.subject),
    leaf('Content', h.content),
    group('SignerInfo', [leaf('Competence', h.signer.competence), leaf('Position', h.signer.position), leaf('FullName', h.signer.fullName)]),
    leaf('DueDate', h.dueDate),
    group('OtherInfo', [
      leaf('Priority', h.other.priority),
      leaf('SphereOfPromulgation', h.other.sphereOfPromulgation),
      leaf('TyperNotation', h.other.typerNotation),
      leaf('PromulgationAmount', h.other.promulgationAmount),
      leaf('PageAmount', h.other.pageAmount),
      group('Appendixes', h.other.appendixes.map((a) => leaf('Appendix', a))),
    ]),
    ...h.responseFor.map(responseFor),
    leaf('SteeringType', h.steeringType),
    group('ToPlaces', h.toPlaces.map((p) => leaf('Place', p))),
  ]);
}

function traceHeaderList(h: EdocHeader): XmlNode | null {
  return group('TraceHeaderList', [
    ...h.trace.map((t) => group('TraceHeader', [leaf('OrganId', t.organId), leaf('Timestamp', t.timestamp)])),
    business(h.business),
  ]);
}

// ---- checks on our own outgoing header -----------------------------------------------------

function invalid(field: string, message: string): never {
  throw new AppError('INVALID_INPUT', message, { field });
}

/** Checks the header and returns each attachment's name as it will be written (cleaned). */
function checkOutgoing(header: EdocHeader, attachments: AttachmentToWrite[]): string[] {
  if (!header.from.organId.trim()) invalid('from', 'The sending agency has no identifier code');
  if (header.to.length === 0) invalid('to', 'The package has no recipient');
  const seen = new Set<string>();
  for (const to of header.to) {
    const id = to.organId.trim();
    if (!id) invalid('to', 'A recipient has no identifier code');
    if (seen.has(id)) invalid('to', `Recipient ${id} is listed twice`);
    seen.add(id);
  }
  if (!header.documentId.trim()) invalid('documentId', 'The package has no DocumentId');
  if (!header.subject.trim()) invalid('subject', 'The subject is empty');
  if (header.subject.length > MAX_SUBJECT_CHARS) invalid('subject', `The subject is longer than ${MAX_SUBJECT_CHARS} characters`);
  if ((header.content ?? '').length > MAX_CONTENT_CHARS) invalid('content', `The content is longer than ${MAX_CONTENT_CHARS} characters`);
  if (header.promulgation.place.length > MAX_PLACE_CHARS) invalid('promulgation.place', `The place is longer than ${MAX_PLACE_CHARS} characters`);
  for (const place of header.toPlaces) {
    if (place.length > MAX_PLACE_CHARS) invalid('toPlaces', `A recipient place is longer than ${MAX_PLACE_CHARS} characters`);
  }
  for (const appendix of header.other.appendixes) {
    if (appendix.length > MAX_APPENDIX_CHARS) invalid('appendixes', `An appendix is longer than ${MAX_APPENDIX_CHARS} characters`);
  }
  const contentIds = new Set<string>();
  return attachments.map((a) => {
    if (!a.contentId.trim()) invalid('attachments', `Attachment ${a.name} has no content id`);
    if (contentIds.has(a.contentId)) invalid('attachments', `Content id ${a.contentId} is used twice`);
    contentIds.add(a.contentId);
    let name: string;
    try {
      name = checkAttachmentName(a.name);
    } catch {
      invalid('attachments', `Attachment name ${JSON.stringify(a.name)} is not a safe file name`);
    }
    if (name.length > MAX_ATTACHMENT_NAME_CHARS) invalid('attachments', `Attachment name ${name} is longer than ${MAX_ATTACHMENT_NAME_CHARS} characters`);
    return name;
  });
}

// ---- output --------------------------------------------------------------------------------

/** The references carry `cid:` as the SDK writes them; a bare id is given the scheme. */
function cid(contentId: string): string {
  return contentId.startsWith('cid:') ? contentId : `cid:${contentId}`;
}

/**
 * Appends to the package while counting and hashing exactly the bytes written. Writes are
 * synchronous: a package is written once per document issued, and the thread-pool round trips
 * of asynchronous writes cost more than the writes themselves; writeBase64Of yields between
 * pieces so that a large attachment does not hold up the app.
 */
class PackageOutput {
  size = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly fd: number) {}

  write(data: string | Buffer): void {
    if (data.length === 0) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.hash.update(bytes);
    this.size += bytes.length;
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** The file's base64, read and encoded a piece at a time (a multiple of 3 bytes, so pieces join). */
async function writeBase64Of(path: string, out: PackageOutput): Promise<void> {
  const fd = fs.openSync(path, 'r');
  try {
    const piece = Buffer.allocUnsafe(ATTACHMENT_READ_BYTES);
    for (let n = fs.readSync(fd, piece, 0, piece.length, null); n > 0; n = fs.readSync(fd, piece, 0, piece.length, null)) {
      // base64 is ASCII: latin1 turns the string into its bytes without a UTF-8 pass.
      out.write(Buffer.from(piece.subarray(0, n).toString('base64'), 'latin1'));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the whole package to targetPath (creating/truncating it), streaming each attachment's file as base64 in chunks (never the whole file in memory). Not fsynced: the store makes it durable when it moves it into place (storage/blobStore.ts), together with the step's other files. Returns its size and SHA-256 hex (computed while writing). Validates OUR outgoing header first and throws AppError('INVALID_INPUT', message, {field}) for: empty/duplicate To OrganIds, empty From OrganId, Subject > 500 chars, Content > 500, any Place > 150, Appendix > 250, attachment name > 200 or not a safe name. On any error, no file is left at targetPath. */
export async function writeEdocPackage(header: EdocHeader, attachments: AttachmentToWrite[], targetPath: string): Promise<{ size: number; sha256: string }> {
  const names = checkOutgoing(header, attachments);
  const envelope: XmlNode = {
    name: 'edXMLEnvelope',
    attributes: `xmlns:edXML="${EDXML_NAMESPACE}"`,
    children: [
      { name: 'edXMLHeader', children: [messageHeader(header), traceHeaderList(header)].filter((n): n is XmlNode => n !== null) },
      {
        name: 'edXMLBody',
        children: [
          {
            name: 'edXMLManifest',
            attributes: 'version="1.0"',
            children: attachments.map((a, i) => ({
              name: 'Reference',
              children: [
                { name: 'ContentId', text: cid(a.contentId) },
                { name: 'ContentType', text: a.contentType },
                { name: 'Description', text: a.description ?? names[i]! },
                { name: 'AttachmentName', text: names[i]! },
              ],
            })),
          },
        ],
      },
    ],
  };

  const fd = fs.openSync(targetPath, 'w', 0o600);
  try {
    const out = new PackageOutput(fd);
    out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NAMESPACE}">\n`);
    out.write(serialize(envelope, PREFIX, '  '));
    out.write('  <AttachmentEncoded>\n');
    for (const [i, a] of attachments.entries()) {
      const fields: XmlNode[] = [
        { name: 'ContentId', text: cid(a.contentId) },
        { name: 'AttachmentName', text: names[i]! },
        { name: 'Description', text: a.description ?? names[i]! },
        { name: 'ContentType', text: a.contentType },
      ];
      out.write(`    <Attachment>\n${fields.map((f) => serialize(f, '', '      ')).join('')}`);
      out.write(`      <edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NAMESPACE}">`);
      await writeBase64Of(a.path, out);
      out.write('</edXML:ContentTransferEncoded>\n    </Attachment>\n');
    }
    out.write('  </AttachmentEncoded>\n</edXML>\n');
    fs.closeSync(fd);
    return { size: out.size, sha256: out.sha256() };
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed; the removal below is what matters
    }
    fs.rmSync(targetPath, { force: true });
    throw error;
  }
}

/** The status message (small) as UTF-8 bytes. */
export function statusMessageXml(status: StatusMessage): Buffer {
  const header = group('MessageHeader', [
    organization('From', status.from),
    responseFor(status.responseFor),
    staffInfo(status.staff),
    leaf('StatusCode', status.statusCode),
    leaf('Description', status.description),
    leaf('Timestamp', status.timestamp),
  ])!;
  const envelope: XmlNode = {
    name: 'edXMLEnvelope',
    attributes: `xmlns:edXML="${EDXML_NAMESPACE}"`,
    children: [{ name: 'edXMLHeader', children: [header] }],
  };
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NAMESPACE}">\n${serialize(envelope, PREFIX, '  ')}</edXML>\n`;
  return Buffer.from(xml, 'utf8');
}
