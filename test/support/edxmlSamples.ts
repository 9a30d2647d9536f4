// edXML packages made by the tests: a full outgoing header for the writer, hand-written package text
// for the parser's hostile cases (the writer refuses to make them), and zips made with yazl. The
// real packages from the national axis SDK stay in test/fixtures/interop/edxml and are only read.
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { EDXML_NAMESPACE, type EdocHeader } from '../../main/core/edxml/model.js';
import { INTEROP_DIR } from './fixtures.js';

export const EDXML_SAMPLES_DIR = path.join(INTEROP_DIR, 'edxml');

export function edxmlSample(name: string): string {
  const file = path.join(EDXML_SAMPLES_DIR, name);
  if (!fs.existsSync(file)) throw new Error(`edXML sample missing: ${file}. It belongs to the repository (test/fixtures/interop/edxml).`);
  return file;
}

/** A header with every field the writer knows filled in, Vietnamese text included. */
export function fullHeader(): EdocHeader {
  return {
    from: {
      organId: '000.00.00.H41',
      organName: 'UBND Tỉnh Nghệ An',
      organizationInCharge: 'UBND Tỉnh Nghệ An',
      organAdd: 'Số 03, đường Trường Thi, Thành phố Vinh',
      email: 'nghean@gov.vn',
      telephone: '0383 840418',
      fax: '0383 843049',
      website: 'www.nghean.vn',
    },
    to: [
      { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
      { organId: 'H37.DN.001', organName: 'Sở Nội vụ <Đà Nẵng> & "các" đơn vị', email: 'snv@danang.gov.vn' },
    ],
    documentId: '000.00.00.H41,2026/03/05,07/UBND-VX',
    code: { number: '07', notation: 'UBND-VX' },
    promulgation: { place: 'Nghệ An', date: '2026/03/05' },
    documentType: { type: '1', typeDetail: '0', typeName: 'Công văn' },
    subject: 'V/v triển khai liên thông văn bản điện tử; ký tự & < > được giữ nguyên',
    content: 'Dòng một\nDòng hai\tcó tab',
    signer: { competence: 'KT. CHỦ TỊCH', position: 'Phó Chủ tịch', fullName: 'Nguyễn Văn Anh' },
    dueDate: '2026/03/20',
    toPlaces: ['Như trên', 'Lưu: VT, VX'],
    other: {
      priority: '1',
      sphereOfPromulgation: 'Liên thông văn bản quốc gia',
      typerNotation: 'NVA',
      promulgationAmount: 3,
      pageAmount: 2,
      appendixes: ['Phụ lục I: Danh sách đơn vị'],
    },
    steeringType: '1',
    responseFor: [{ organId: '000.00.00.G22', code: '7816/VPCP-TTĐT', promulgationDate: '2015/09/30', documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT' }],
    trace: [{ organId: '000.00.00.H41', timestamp: '2026/03/05 08:30:00' }],
    business: {
      docType: 2,
      reason: 'Cập nhật danh sách nơi nhận',
      documentId: '000.00.00.H41,2026/03/01,05/UBND-VX',
      paper: false,
      staff: { department: 'Văn thư', staff: 'Trần Thị Bình', email: 'vanthu@nghean.gov.vn', mobile: '0912000001' },
      replacements: [{ documentId: '000.00.00.H41,2026/02/01,03/UBND-VX', organIds: ['000.00.00.G22', 'H37.DN.001'] }],
      receiverChanges: [
        { organId: '000.00.00.G22', receiverType: 0 },
        { organId: 'H37.DN.001', receiverType: 1 },
      ],
    },
  };
}

export interface HandAttachment {
  contentId?: string;
  name: string;
  contentType?: string;
  /** The text inside ContentTransferEncoded, as sent. */
  base64: string;
}

export interface HandPackage {
  /** Text before the root element, e.g. a DOCTYPE. */
  prolog?: string;
  rootTag?: string;
  subject?: string;
  /** Raw markup put into MessageHeader after Subject. */
  extraHeader?: string;
  attachments?: HandAttachment[];
  /** Leave out the manifest, as some senders do. */
  withoutManifest?: boolean;
}

/** A minimal edoc package written by hand, so that the parser can be given what our writer never makes. */
export function handPackage(p: HandPackage = {}): string {
  const attachments = p.attachments ?? [{ name: 'van-ban.pdf', base64: Buffer.from('%PDF-1.4 hello').toString('base64') }];
  const cid = (a: HandAttachment, i: number) => a.contentId ?? `cid:${i + 1}`;
  const references = attachments
    .map(
      (a, i) => `<edXML:Reference><edXML:ContentId>${cid(a, i)}</edXML:ContentId><edXML:ContentType>${a.contentType ?? 'application/pdf'}</edXML:ContentType>` +
        `<edXML:Description>${a.name}</edXML:Description><edXML:AttachmentName>${a.name}</edXML:AttachmentName></edXML:Reference>`,
    )
    .join('');
  const encoded = attachments
    .map(
      (a, i) => `<Attachment><ContentId>${cid(a, i)}</ContentId><AttachmentName>${a.name}</AttachmentName><Description>${a.name}</Description>` +
        `<ContentType>${a.contentType ?? 'application/pdf'}</ContentType>` +
        `<edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NAMESPACE}">${a.base64}</edXML:ContentTransferEncoded></Attachment>`,
    )
    .join('\n');
  const root = p.rootTag ?? `edXML xmlns="${EDXML_NAMESPACE}"`;
  const rootName = root.split(' ')[0];
  return `<?xml version="1.0" encoding="UTF-8"?>
${p.prolog ?? ''}<${root}>
<edXML:edXMLEnvelope xmlns:edXML="${EDXML_NAMESPACE}">
<edXML:edXMLHeader>
<edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:OrganName>UBND Tỉnh Nghệ An</edXML:OrganName></edXML:To>
<edXML:DocumentId>000.00.00.G22,2026/01/02,12/VPCP-TTĐT</edXML:DocumentId>
<edXML:Subject>${p.subject ?? 'Văn bản thử'}</edXML:Subject>${p.extraHeader ?? ''}
</edXML:MessageHeader>
</edXML:edXMLHeader>
<edXML:edXMLBody>${p.withoutManifest ? '' : `<edXML:edXMLManifest version="1.0">${references}</edXML:edXMLManifest>`}</edXML:edXMLBody>
</edXML:edXMLEnvelope>
<AttachmentEncoded>
${encoded}
</AttachmentEncoded>
</${rootName}>
`;
}

/** A zip made in memory (test data is small); a name ending in / is a folder. */
export async function zipOf(entries: { name: string; data: Buffer; store?: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name);
    else zip.addBuffer(e.data, e.name, { compress: !e.store });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Marks every entry of a zip as encrypted (general purpose bit 0), as a password-protected zip is. */
export function markEncrypted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const signature = out.readUInt32LE(i);
    if (signature === 0x04034b50) out.writeUInt16LE(out.readUInt16LE(i + 6) | 1, i + 6);
    if (signature === 0x02014b50) out.writeUInt16LE(out.readUInt16LE(i + 8) | 1, i + 8);
  }
  return out;
}

/** Renames entries in a zip's local and central headers; the new name must have the same length. */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('renameInZip needs names of the same length');
  const out = Buffer.from(zip);
  const needle = Buffer.from(from);
  for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, at + 1)) out.write(to, at);
  return out;
}
