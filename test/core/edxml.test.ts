// edXML packages: the national axis SDK's real samples, our writer read back by our parser, the
// writer's own refusals, and hostile packages. Every refusal must carry its specific reason and
// leave the work folder empty, and the parser must keep working after it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sax from 'sax';
import { AppError } from '../../main/common/errors.js';
import { checkAttachmentName, MAX_ATTACHMENT_NAME_BYTES } from '../../main/core/edxml/attachmentNames.js';
import { Base64Decoder } from '../../main/core/edxml/base64.js';
import { EDXML_NAMESPACE, type ParsedPackage, type ParseLimits, type StatusMessage } from '../../main/core/edxml/model.js';
import { parsePackage, peekPackage } from '../../main/core/edxml/parse.js';
import { statusMessageXml, writeEdocPackage } from '../../main/core/edxml/write.js';
import { documentIdOf } from '../../main/common/identifierCode.js';
import { edxmlSample, fullHeader, handPackage, markEncrypted, renameInZip, zipOf, type HandPackage } from '../support/edxmlSamples.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

const scratch = tempDir('eoffice-edxml-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let fileCount = 0;
function scratchFile(name: string, content: string | Buffer): string {
  const file = path.join(scratch, `${++fileCount}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

function newWorkDir(): string {
  return fs.mkdtempSync(path.join(scratch, 'work-'));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function parseSample(name: string) {
  return parsePackage(edxmlSample(name), { workDir: newWorkDir() });
}

function edocOf(parsed: ParsedPackage): Extract<ParsedPackage, { kind: 'edoc' }> {
  assert.equal(parsed.kind, 'edoc');
  return parsed as Extract<ParsedPackage, { kind: 'edoc' }>;
}

// ---- the SDK's samples ---------------------------------------------------------------------

test('edoc_new: a new document from the SDK, its zipped PDF unwrapped and accepted by poppler', async () => {
  const workDir = newWorkDir();
  const { header, attachments } = edocOf(await parsePackage(edxmlSample('edoc_new.edxml'), { workDir }));
  assert.equal(header.documentId, '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
  assert.equal(header.from.organId, '000.00.00.A80');
  assert.deepEqual(header.to.map((t) => t.organId), ['28.22.H17']);
  assert.equal(header.subject, 'V/v kết nối, liên thông phần mềm quản lý văn bản');
  assert.deepEqual(header.code, { number: '74fass22', notation: 'VPCP-TTĐT' });
  assert.deepEqual(header.promulgation, { place: 'Hà Nội', date: '2019/01/16' });
  assert.equal(header.other.pageAmount, 22);
  assert.deepEqual(header.toPlaces, ['Cac bo va co quan ngang bo', 'Uy ban nhan dan cac tinh, TP']);
  assert.equal(header.business.docType, 0);
  // An impossible date is kept as sent, not refused.
  assert.equal(header.business.documentId, '000.00.00.G22,2014/02/30,7806/VPCP-TTĐT');
  assert.equal(header.business.staff?.staff, 'Nguyễn Thị Ngọc Trâm');
  assert.deepEqual(header.trace, [{ organId: '000.00.00.G22', timestamp: '2018/09/28 00:00:00' }]);

  assert.equal(attachments.length, 1);
  const [pdf] = attachments;
  assert.equal(pdf!.wasZipped, true);
  assert.equal(pdf!.contentId, 'cid:209');
  // The sender called it .doc; the zip holds a PDF, so the name keeps its base and takes .pdf.
  assert.equal(pdf!.name, '1896_QD-TTg_m_294779.pdf');
  assert.equal(pdf!.contentType, 'application/pdf');
  const bytes = fs.readFileSync(pdf!.path);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
  assert.equal(pdf!.size, bytes.length);
  assert.equal(pdf!.sha256, sha256(bytes));
  assert.equal(path.dirname(pdf!.path), workDir);
  assert.match(execFileSync('pdfinfo', [pdf!.path]).toString(), /Pages:\s+\d+/);
  // Only the unwrapped file is left in the work folder: no temporary .part, no zip.
  assert.deepEqual(fs.readdirSync(workDir), ['1896_QD-TTg_m_294779.pdf']);
});

test('edoc_revocation: a recall (1) with the document it answers', async () => {
  const parsed = edocOf(await parseSample('edoc_revocation.edxml'));
  assert.equal(parsed.header.documentId, '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
  assert.equal(parsed.header.from.organId, '000.00.00.G22');
  assert.deepEqual(parsed.header.to.map((t) => t.organId), ['000.00.00.H41', '000.00.00.H14', '000.00.00.G17']);
  assert.equal(parsed.header.business.docType, 1);
  assert.equal(parsed.header.business.reason, 'Thu hồi văn bản điện tử');
  assert.deepEqual(parsed.header.responseFor, [
    { organId: '000.00.00.H14', code: '267/VPCP-TTĐT', promulgationDate: '2018/09/28', documentId: '000.00.04.G14,2012/08/06,267/VPCP-TTĐT' },
  ]);
});

test('edoc_update: an update (2) with receiver changes', async () => {
  const parsed = edocOf(await parseSample('edoc_update.edxml'));
  assert.equal(parsed.header.business.docType, 2);
  assert.equal(parsed.header.business.documentId, '000.00.00.G22,2014/02/30,7806/VPCP-TTĐT');
  assert.equal(parsed.header.business.paper, false);
  assert.deepEqual(parsed.header.business.receiverChanges, [
    { organId: '000.00.00.H41', receiverType: 0 },
    { organId: '000.00.00.H14', receiverType: 1 },
  ]);
});

test('edoc_replacement: a replacement (3) with two ReplacementInfo', async () => {
  const parsed = edocOf(await parseSample('edoc_replacement.edxml'));
  assert.equal(parsed.header.business.docType, 3);
  assert.deepEqual(parsed.header.business.replacements, [
    { documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT', organIds: ['000.00.00.H41', '000.00.00.H14'] },
    { documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT', organIds: ['000.00.00.H41', '000.00.00.H14'] },
  ]);
  assert.equal(parsed.attachments.length, 1);
});

for (const [file, code] of [
  ['status_inbox_01.edxml', '01'],
  ['status_rejection_02.edxml', '02'],
  ['status_acceptance_03.edxml', '03'],
  ['status_finish_06.edxml', '06'],
] as const) {
  test(`${file}: status ${code} about the SDK's document`, async () => {
    const workDir = newWorkDir();
    const parsed = await parsePackage(edxmlSample(file), { workDir });
    assert.equal(parsed.kind, 'status');
    if (parsed.kind !== 'status') return;
    assert.equal(parsed.status.statusCode, code);
    assert.equal(parsed.status.from.organId, '000.00.00.H41');
    assert.equal(parsed.status.responseFor.documentId, '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
    assert.equal(parsed.status.responseFor.code, '7816/VPCP-TTĐT');
    assert.equal(parsed.status.timestamp, '2015/09/20 11:08:36');
    assert.equal(parsed.status.staff?.department, 'Phong hanh chinh');
    assert.ok(parsed.status.description.startsWith('Văn thư'));
    assert.deepEqual(fs.readdirSync(workDir), []);
  });
}

// ---- writer → parser -----------------------------------------------------------------------

test('documentIdOf joins agency, date and number as written', () => {
  assert.equal(documentIdOf('000.00.00.G22', '2015-09-30', '7816', 'VPCP-TTĐT'), '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
  assert.equal(documentIdOf('H37.DN.001', '2026-01-05', '07', 'UBND'), 'H37.DN.001,2026/01/05,07/UBND');
  assert.throws(() => documentIdOf('H37.DN.001', '05/01/2026', '7', 'UBND'), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT');
});

test('round trip: a written package reads back with the same header and byte-identical attachments', async () => {
  const pdf = Buffer.from(await makeVietnamesePdf(['Quyết định về việc liên thông văn bản']));
  const other = randomBytes(100_003); // not a multiple of 3: the last base64 group is padded
  const pdfPath = scratchFile('qd.pdf', pdf);
  const otherPath = scratchFile('pl.xlsx', other);
  const header = fullHeader();
  const target = path.join(scratch, 'round-trip.edxml');
  const written = await writeEdocPackage(
    header,
    [
      { contentId: 'cid:1', name: 'Quyết định 07.pdf', description: 'Văn bản chính', contentType: 'application/pdf', path: pdfPath },
      // A decomposed Vietnamese name comes back composed (NFC).
      { contentId: '2', name: 'Phụ lục.xlsx'.normalize('NFD'), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', path: otherPath },
    ],
    target,
  );
  const bytes = fs.readFileSync(target);
  assert.equal(written.size, bytes.length);
  assert.equal(written.sha256, sha256(bytes));

  const text = bytes.toString('utf8');
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">'));
  const envelope = text.slice(text.indexOf('<edXML:edXMLEnvelope'), text.indexOf('</edXML:edXMLEnvelope>') + 1);
  const envelopeTags = [...envelope.matchAll(/<\/?([A-Za-z][\w:.-]*)/g)].map((m) => m[1]!);
  assert.ok(envelopeTags.length > 80);
  assert.deepEqual(envelopeTags.filter((t) => !t.startsWith('edXML:')), []);
  const encoded = text.slice(text.indexOf('<AttachmentEncoded>'));
  assert.match(encoded, /^<AttachmentEncoded>\n {4}<Attachment>\n {6}<ContentId>cid:1<\/ContentId>/);
  assert.equal(encoded.match(new RegExp(`<edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NAMESPACE}">`, 'g'))?.length, 2);
  assert.match(text, /Sở Nội vụ &lt;Đà Nẵng&gt; &amp; "các" đơn vị/);
  // Element order follows the SDK's sample.
  const order = ['From', 'To', 'DocumentId', 'Code', 'PromulgationInfo', 'DocumentType', 'Subject', 'Content', 'SignerInfo', 'DueDate', 'OtherInfo', 'ResponseFor', 'SteeringType', 'ToPlaces'];
  const positions = order.map((name) => text.indexOf(`<edXML:${name}>`));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions);

  const workDir = newWorkDir();
  const parsed = edocOf(await parsePackage(target, { workDir }));
  assert.deepEqual(parsed.header, header);
  assert.deepEqual(
    parsed.attachments.map((a) => ({ contentId: a.contentId, name: a.name, description: a.description, wasZipped: a.wasZipped, sha256: a.sha256, size: a.size })),
    [
      { contentId: 'cid:1', name: 'Quyết định 07.pdf', description: 'Văn bản chính', wasZipped: false, sha256: sha256(pdf), size: pdf.length },
      { contentId: 'cid:2', name: 'Phụ lục.xlsx', description: 'Phụ lục.xlsx', wasZipped: false, sha256: sha256(other), size: other.length },
    ],
  );
  for (const a of parsed.attachments) assert.equal(sha256(fs.readFileSync(a.path)), a.sha256);
  assert.deepEqual(fs.readdirSync(workDir).sort(), ['Phụ lục.xlsx', 'Quyết định 07.pdf'].sort());
});

test('round trip: XML-forbidden characters are dropped, CR survives', async () => {
  const header = { ...fullHeader(), subject: 'Trích yếu\u0000 có\u0007 ký tự lạ\uFFFE', content: 'dòng 1\r\ndòng 2' };
  const target = path.join(scratch, 'controls.edxml');
  await writeEdocPackage(header, [], target);
  const parsed = edocOf(await parsePackage(target, { workDir: newWorkDir() }));
  assert.equal(parsed.header.subject, 'Trích yếu có ký tự lạ');
  assert.equal(parsed.header.content, 'dòng 1\r\ndòng 2');
  assert.deepEqual(parsed.attachments, []);
});

test('round trip: a status message', async () => {
  const status: StatusMessage = {
    from: { organId: '000.00.00.H41', organName: 'UBND Tỉnh Nghệ An', email: 'nghean@gov.vn' },
    responseFor: { organId: '000.00.00.G22', code: '7816/VPCP-TTĐT', promulgationDate: '2015/09/30', documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT' },
    statusCode: '02',
    description: 'Từ chối: gửi nhầm đơn vị <không thuộc thẩm quyền>',
    timestamp: '2026/03/05 09:00:00',
    staff: { department: 'Văn thư', staff: 'Trần Thị Bình' },
  };
  const xml = statusMessageXml(status);
  const text = xml.toString('utf8');
  assert.ok(!text.includes('AttachmentEncoded') && !text.includes('edXMLBody'));
  const file = scratchFile('status.edxml', xml);
  const workDir = newWorkDir();
  assert.deepEqual(await parsePackage(file, { workDir }), { kind: 'status', status });
  assert.deepEqual(await peekPackage(file), {
    kind: 'status',
    documentId: null,
    from: '000.00.00.H41',
    businessDocType: null,
    statusCode: '02',
    responseForDocumentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
  });
  assert.deepEqual(fs.readdirSync(workDir), []);
});

test('a status with its fields in a Status element (as QCVN writes it) and a code without its zero', async () => {
  const file = scratchFile(
    'status-element.edxml',
    `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${EDXML_NAMESPACE}"><edXML:edXMLEnvelope xmlns:edXML="${EDXML_NAMESPACE}"><edXML:edXMLHeader><edXML:Status>
<edXML:ResponseFor><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Code>12/VPCP</edXML:Code><edXML:DocumentId>000.00.00.G22,2026/01/02,12/VPCP</edXML:DocumentId></edXML:ResponseFor>
<edXML:From><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:OrganName>UBND Tỉnh Nghệ An</edXML:OrganName></edXML:From>
<edXML:StatusCode>1</edXML:StatusCode><edXML:Description>Đã đến</edXML:Description><edXML:Timestamp>2026/01/02 10:00:00</edXML:Timestamp>
</edXML:Status></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>`,
  );
  const parsed = await parsePackage(file, { workDir: newWorkDir() });
  assert.equal(parsed.kind, 'status');
  if (parsed.kind !== 'status') return;
  assert.equal(parsed.status.statusCode, '01');
  assert.equal(parsed.status.responseFor.documentId, '000.00.00.G22,2026/01/02,12/VPCP');
  assert.equal(parsed.status.from.organId, '000.00.00.H41');
  assert.equal((await peekPackage(file)).statusCode, '01');
});

test('a zip with several files becomes one attachment per file; a .zip attachment stays a zip', async () => {
  const pdf = Buffer.from(await makeVietnamesePdf(['Tờ trình']));
  const zip = await zipOf([
    { name: 'ho-so/To trinh.pdf', data: pdf },
    { name: 'ho-so/', data: Buffer.alloc(0) },
    { name: 'ho-so/Bang ke.doc', data: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), randomBytes(3000)]) },
  ]);
  const file = scratchFile(
    'multi-zip.edxml',
    handPackage({
      attachments: [
        { name: 'Hồ sơ trình.doc', contentType: 'application/zip', base64: zip.toString('base64') },
        { name: 'Lưu trữ.zip', contentType: 'application/zip', base64: zip.toString('base64') },
      ],
    }),
  );
  const parsed = edocOf(await parsePackage(file, { workDir: newWorkDir() }));
  assert.deepEqual(
    parsed.attachments.map((a) => [a.name, a.contentType, a.wasZipped]),
    [
      ['To trinh.pdf', 'application/pdf', true],
      ['Bang ke.doc', 'application/msword', true],
      ['Lưu trữ.zip', 'application/zip', false],
    ],
  );
  assert.equal(parsed.attachments[0]!.sha256, sha256(pdf));
  assert.equal(parsed.attachments[2]!.sha256, sha256(zip));
});

test('a package without a manifest, with base64 wrapped over lines, is accepted', async () => {
  const data = randomBytes(1000);
  const wrapped = data.toString('base64').replace(/.{76}/g, '$&\r\n');
  const file = scratchFile('no-manifest.edxml', handPackage({ withoutManifest: true, attachments: [{ name: 'a.pdf', base64: `\n  ${wrapped}\n  ` }] }));
  const parsed = edocOf(await parsePackage(file, { workDir: newWorkDir() }));
  assert.equal(parsed.attachments[0]!.sha256, sha256(data));
  assert.deepEqual(parsed.header.business, { docType: 0, reason: '' });
});

test('two attachments with the same name get two files', async () => {
  const file = scratchFile(
    'same-name.edxml',
    handPackage({ attachments: [{ name: 'a.pdf', base64: 'QUFB' }, { name: 'a.pdf', base64: 'QkJC' }] }),
  );
  const workDir = newWorkDir();
  const parsed = edocOf(await parsePackage(file, { workDir }));
  assert.deepEqual(parsed.attachments.map((a) => fs.readFileSync(a.path, 'latin1')), ['AAA', 'BBB']);
  assert.deepEqual(fs.readdirSync(workDir).sort(), ['a (2).pdf', 'a.pdf']);
});

test('numbers that do not parse are left out, not refused', async () => {
  const file = scratchFile(
    'numbers.edxml',
    handPackage({ extraHeader: '<edXML:OtherInfo><edXML:PageAmount>hai</edXML:PageAmount><edXML:PromulgationAmount>3</edXML:PromulgationAmount></edXML:OtherInfo>' }),
  );
  const parsed = edocOf(await parsePackage(file, { workDir: newWorkDir() }));
  assert.deepEqual(parsed.header.other, { promulgationAmount: 3, appendixes: [] });
});

// ---- the writer's refusals -----------------------------------------------------------------

test('the writer refuses a bad outgoing header and leaves no file', async () => {
  const pdfPath = scratchFile('w.pdf', Buffer.from('%PDF-1.4'));
  const attachment = { contentId: 'cid:1', name: 'a.pdf', contentType: 'application/pdf', path: pdfPath };
  const cases: [string, () => Parameters<typeof writeEdocPackage>, string][] = [
    ['empty To', () => [{ ...fullHeader(), to: [] }, [attachment], ''], 'to'],
    ['To without a code', () => [{ ...fullHeader(), to: [{ organId: ' ', organName: 'x' }] }, [attachment], ''], 'to'],
    ['duplicate To', () => [{ ...fullHeader(), to: [fullHeader().to[0]!, fullHeader().to[0]!] }, [attachment], ''], 'to'],
    ['empty From', () => [{ ...fullHeader(), from: { organId: '', organName: 'x' } }, [attachment], ''], 'from'],
    ['subject of 501 characters', () => [{ ...fullHeader(), subject: 'x'.repeat(501) }, [attachment], ''], 'subject'],
    ['content of 501 characters', () => [{ ...fullHeader(), content: 'x'.repeat(501) }, [attachment], ''], 'content'],
    ['place of 151 characters', () => [{ ...fullHeader(), toPlaces: ['x'.repeat(151)] }, [attachment], ''], 'toPlaces'],
    ['appendix of 251 characters', () => [{ ...fullHeader(), other: { appendixes: ['x'.repeat(251)] } }, [attachment], ''], 'appendixes'],
    ['traversal attachment name', () => [fullHeader(), [{ ...attachment, name: '../../etc/passwd' }], ''], 'attachments'],
    ['device attachment name', () => [fullHeader(), [{ ...attachment, name: 'con.pdf' }], ''], 'attachments'],
    ['attachment name of 201 characters', () => [fullHeader(), [{ ...attachment, name: `${'x'.repeat(197)}.pdf` }], ''], 'attachments'],
  ];
  for (const [what, args, field] of cases) {
    const [header, attachments] = args();
    const target = path.join(scratch, `refused-${++fileCount}.edxml`);
    await assert.rejects(writeEdocPackage(header, attachments, target), (e: unknown) => {
      assert.ok(e instanceof AppError, what);
      assert.equal(e.code, 'INVALID_INPUT', what);
      assert.equal(e.details?.field, field, what);
      return true;
    });
    assert.equal(fs.existsSync(target), false, what);
  }
});

test('the writer leaves no file when an attachment cannot be read', async () => {
  const target = path.join(scratch, 'missing-attachment.edxml');
  await assert.rejects(writeEdocPackage(fullHeader(), [{ contentId: '1', name: 'a.pdf', contentType: 'application/pdf', path: path.join(scratch, 'nope.pdf') }], target));
  assert.equal(fs.existsSync(target), false);
});

// ---- hostile packages ----------------------------------------------------------------------

const goodPackage = scratchFile('good.edxml', handPackage());

async function assertRefused(what: string, file: string, reason: string, limits?: Partial<ParseLimits>): Promise<void> {
  const workDir = newWorkDir();
  await assert.rejects(parsePackage(file, limits ? { workDir, limits } : { workDir }), (e: unknown) => {
    assert.ok(e instanceof AppError, `${what}: ${String(e)}`);
    assert.equal(e.code, 'PACKAGE_REFUSED', what);
    assert.equal(e.details?.reason, reason, `${what}: ${e.message}`);
    return true;
  });
  assert.deepEqual(fs.readdirSync(workDir), [], `${what} left files behind`);
  // The parser is none the worse for it.
  const good = await parsePackage(goodPackage, { workDir });
  assert.equal(good.kind, 'edoc', what);
}

const hostile = (name: string, p: HandPackage) => scratchFile(`${name}.edxml`, handPackage(p));

test('malformed XML is refused', async () => {
  await assertRefused('unclosed tag', scratchFile('unclosed.edxml', handPackage().replace('</edXML:MessageHeader>', '')), 'malformed-xml');
  await assertRefused('truncated', scratchFile('truncated.edxml', handPackage().slice(0, 900)), 'malformed-xml');
  await assertRefused('unknown entity', hostile('nbsp', { subject: 'a&nbsp;b' }), 'malformed-xml');
  await assertRefused('undeclared prefix', hostile('prefix', { extraHeader: '<x:Foo>1</x:Foo>' }), 'malformed-xml');
  await assertRefused('not UTF-8', scratchFile('latin1.edxml', Buffer.from(handPackage({ subject: 'Tr\u00edch y\u00eau' }), 'latin1')), 'malformed-xml');
});

test('XXE: a DOCTYPE with an external entity is refused and nothing is read', async () => {
  const file = hostile('xxe', { prolog: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n', subject: '&e;' });
  await assertRefused('xxe', file, 'doctype-forbidden');
  await assert.rejects(peekPackage(file), (e: unknown) => e instanceof AppError && e.details?.reason === 'doctype-forbidden');
});

test('billion laughs: nested entities are refused', async () => {
  const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)];
  await assertRefused('billion laughs', hostile('laughs', { prolog: `<!DOCTYPE lolz [${entities.join('')}]>\n`, subject: '&lol9;' }), 'doctype-forbidden');
  // A DTD bigger than sax's buffer is refused for the DOCTYPE too, not as some other error.
  await assertRefused('huge DTD', hostile('huge-dtd', { prolog: `<!DOCTYPE x [<!-- ${'x'.repeat(200_000)} -->]>\n` }), 'doctype-forbidden');
});

test('an attachment over the size limit is refused while decoding', async () => {
  const file = hostile('big', { attachments: [{ name: 'big.pdf', base64: randomBytes(5000).toString('base64') }] });
  await assertRefused('oversized attachment', file, 'too-large', { maxAttachmentBytes: 1000 });
  await assertRefused('oversized package', goodPackage, 'too-large', { maxPackageBytes: 500 });
  await assertRefused('long text', hostile('long-subject', { subject: 'x'.repeat(2000) }), 'too-large', { maxTextChars: 1000 });
});

test('bad base64 is refused', async () => {
  await assertRefused('@@@', hostile('b64-at', { attachments: [{ name: 'a.pdf', base64: '@@@' }] }), 'bad-base64');
  await assertRefused('no padding', hostile('b64-unpadded', { attachments: [{ name: 'a.pdf', base64: 'QUE' }] }), 'bad-base64');
  await assertRefused('data after padding', hostile('b64-after', { attachments: [{ name: 'a.pdf', base64: 'QQ==QUFB' }] }), 'bad-base64');
  await assertRefused('url-safe alphabet', hostile('b64-url', { attachments: [{ name: 'a.pdf', base64: 'ab-_' }] }), 'bad-base64');
  await assertRefused('markup inside', hostile('b64-markup', { attachments: [{ name: 'a.pdf', base64: 'QUFB<b>QUFB</b>' }] }), 'bad-base64');
});

test('path traversal and device names are refused', async () => {
  for (const name of ['../../etc/passwd', '..\\..\\boot.ini', 'CON.pdf', 'C:evil.pdf', 'lpt1', '/etc/passwd', 'a&#9;b.pdf', '..', '']) {
    await assertRefused(name, hostile(`name-${fileCount}`, { attachments: [{ name, base64: 'QUFB' }] }), 'bad-attachment-name');
  }
  // XML 1.0 cannot even carry most control characters: a NUL reference is malformed XML.
  await assertRefused('NUL in a name', hostile('name-nul', { attachments: [{ name: 'a&#0;b.pdf', base64: 'QUFB' }] }), 'malformed-xml');
  // yazl will not write such a name, so the zip is made with a harmless one of the same length.
  const evilZip = renameInZip(await zipOf([{ name: 'xx/xx/evil.pdf', data: Buffer.from('%PDF') }]), 'xx/xx/evil.pdf', '../../evil.pdf');
  await assertRefused('zip entry traversal', hostile('zip-traversal', { attachments: [{ name: 'a.doc', contentType: 'application/zip', base64: evilZip.toString('base64') }] }), 'bad-attachment-name');
  const deviceZip = await zipOf([{ name: 'docs/AUX.txt', data: Buffer.from('x') }]);
  await assertRefused('zip entry device', hostile('zip-device', { attachments: [{ name: 'a.doc', contentType: 'application/zip', base64: deviceZip.toString('base64') }] }), 'bad-attachment-name');
});

test('zip bombs, encrypted and broken zips are refused', async () => {
  const bomb = await zipOf([{ name: 'bomb.pdf', data: Buffer.alloc(50_000) }]);
  assert.ok(bomb.length < 1000);
  const zipped = (z: Buffer) => ({ attachments: [{ name: 'a.doc', contentType: 'application/zip', base64: z.toString('base64') }] });
  await assertRefused('zip bomb', hostile('bomb', zipped(bomb)), 'too-large', { maxAttachmentBytes: 10_000 });
  const encrypted = markEncrypted(await zipOf([{ name: 'secret.pdf', data: Buffer.from('%PDF-1.4'), store: true }]));
  await assertRefused('encrypted zip', hostile('encrypted', zipped(encrypted)), 'bad-zip');
  await assertRefused('not a zip', hostile('not-zip', zipped(Buffer.from('this is not a zip at all'))), 'bad-zip');
  await assertRefused('empty zip', hostile('empty-zip', zipped(await zipOf([{ name: 'folder/', data: Buffer.alloc(0) }]))), 'bad-zip');
});

test('nesting, element counts and attachment counts are bounded', async () => {
  const deep = `${'<edXML:X>'.repeat(40)}${'</edXML:X>'.repeat(40)}`;
  await assertRefused('too deep', hostile('deep', { extraHeader: deep }), 'too-deep');
  await assertRefused('too many elements', hostile('many', { extraHeader: '<edXML:X/>'.repeat(200) }), 'too-many', { maxElements: 150 });
  const attachments = Array.from({ length: 4 }, (_, i) => ({ name: `a${i}.pdf`, base64: 'QUFB' }));
  await assertRefused('too many attachments', hostile('many-attachments', { attachments }), 'too-many', { maxAttachments: 3 });
  const attributes = Array.from({ length: 100 }, (_, i) => `a${i}="1"`).join(' ');
  await assertRefused('too many attributes', hostile('attributes', { extraHeader: `<edXML:X ${attributes}/>` }), 'too-many');
});

test('a root other than edXML in its namespace is refused', async () => {
  await assertRefused('other root', hostile('other-root', { rootTag: `Envelope xmlns="${EDXML_NAMESPACE}"` }), 'not-edxml');
  await assertRefused('wrong namespace', hostile('wrong-ns', { rootTag: 'edXML xmlns="http://example.com/other"' }), 'not-edxml');
  await assertRefused('html', scratchFile('page.edxml', '<html><body>Bad gateway</body></html>'), 'not-edxml');
});

test('attachments and manifest must match; required fields must be there', async () => {
  const withExtraReference = handPackage().replace('</edXML:edXMLManifest>', '<edXML:Reference><edXML:ContentId>cid:99</edXML:ContentId></edXML:Reference></edXML:edXMLManifest>');
  await assertRefused('reference without attachment', scratchFile('extra-ref.edxml', withExtraReference), 'attachment-mismatch');
  const withoutReference = handPackage().replace(/<edXML:Reference>.*<\/edXML:Reference>/, '');
  await assertRefused('attachment without reference', scratchFile('no-ref.edxml', withoutReference), 'attachment-mismatch');
  await assertRefused('no subject', scratchFile('no-subject.edxml', handPackage().replace(/<edXML:Subject>.*<\/edXML:Subject>/, '')), 'missing-field');
  await assertRefused('no To', scratchFile('no-to.edxml', handPackage().replace(/<edXML:To>.*<\/edXML:To>/, '')), 'missing-field');
  await assertRefused('no DocumentId', scratchFile('no-id.edxml', handPackage().replace(/<edXML:DocumentId>.*<\/edXML:DocumentId>/, '')), 'missing-field');
  const status = statusMessageXml({
    from: { organId: 'H37.DN.001', organName: 'x' },
    responseFor: { organId: 'G22', code: '1/X', documentId: 'G22,2026/01/01,1/X' },
    statusCode: '03',
    description: '',
    timestamp: '',
  }).toString('utf8');
  await assertRefused('unknown status code', scratchFile('status-99.edxml', status.replace('>03<', '>99<')), 'missing-field');
  await assertRefused('status without ResponseFor', scratchFile('status-no-rf.edxml', status.replace(/<edXML:ResponseFor>[\s\S]*<\/edXML:ResponseFor>/, '')), 'missing-field');
});

// ---- peek ----------------------------------------------------------------------------------

test('peekPackage tells edoc from status and stops at the end of the header', async () => {
  assert.deepEqual(await peekPackage(edxmlSample('edoc_revocation.edxml')), {
    kind: 'edoc',
    documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
    from: '000.00.00.G22',
    businessDocType: 1,
    statusCode: null,
    responseForDocumentId: '000.00.04.G14,2012/08/06,267/VPCP-TTĐT',
  });
  assert.equal((await peekPackage(edxmlSample('edoc_update.edxml'))).businessDocType, 2);
  assert.deepEqual(await peekPackage(edxmlSample('status_acceptance_03.edxml')), {
    kind: 'status',
    documentId: null,
    from: '000.00.00.H41',
    businessDocType: null,
    statusCode: '03',
    responseForDocumentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
  });

  // Everything after the header is garbage a full parse refuses; the peek never gets to it.
  const sample = fs.readFileSync(edxmlSample('edoc_new.edxml'), 'utf8');
  const head = sample.slice(0, sample.indexOf('</edXML:edXMLHeader>') + '</edXML:edXMLHeader>'.length);
  const file = scratchFile('garbage-tail.edxml', `${head}<<<&&& ]]> </not-open>${'<&'.repeat(100_000)}`);
  const peeked = await peekPackage(file);
  assert.equal(peeked.documentId, '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
  assert.equal(peeked.from, '000.00.00.A80');
  await assertRefused('garbage tail', file, 'malformed-xml');
});

test('peekPackage does not read past the header: it answers from a pipe that never ends', { skip: process.platform === 'win32', timeout: 20_000 }, async () => {
  const sample = fs.readFileSync(edxmlSample('edoc_update.edxml'), 'utf8');
  const head = sample.slice(0, sample.indexOf('<edXML:edXMLBody>') + '<edXML:edXMLBody>'.length);
  const fifo = path.join(scratch, 'endless.edxml');
  execFileSync('mkfifo', [fifo]);
  // The writer sends the header and then holds the pipe open: a reader wanting the whole file
  // would wait for the end for ever.
  const writer = fs.createWriteStream(fifo);
  writer.on('error', () => undefined); // the reader closing its end first is expected
  writer.write(head);
  try {
    const peeked = await peekPackage(fifo);
    assert.equal(peeked.kind, 'edoc');
    assert.equal(peeked.businessDocType, 2);
  } finally {
    writer.destroy();
  }
});

// ---- the pieces ----------------------------------------------------------------------------

test('sax hands long text over in pieces, so base64 is never held whole', () => {
  const parser = sax.parser(true, {});
  const pieces: number[] = [];
  parser.ontext = (t) => pieces.push(t.length);
  parser.write('<a>');
  for (let i = 0; i < 16; i++) parser.write('A'.repeat(64 * 1024));
  parser.write('</a>').close();
  assert.ok(pieces.length >= 4);
  assert.ok(Math.max(...pieces) <= 2 * 64 * 1024);
});

test('Base64Decoder: any split, whitespace anywhere, strict padding', () => {
  for (const length of [0, 1, 2, 3, 4, 5, 6, 7, 8, 31, 32, 33]) {
    const data = randomBytes(length);
    const text = data.toString('base64');
    for (let cut = 0; cut <= text.length; cut++) {
      const decoder = new Base64Decoder();
      const out = Buffer.concat([decoder.push(text.slice(0, cut)), decoder.push(` \r\n${text.slice(cut)}\t`), decoder.finish()]);
      assert.deepEqual(out, data, `length ${length}, cut ${cut}`);
    }
  }
  const decodes = (pieces: string[]) => {
    const decoder = new Base64Decoder();
    return Buffer.concat([...pieces.map((p) => decoder.push(p)), decoder.finish()]);
  };
  assert.equal(decodes(['QQ', '=', '=']).toString(), 'A');
  for (const bad of [['Q'], ['QQ'], ['QQ='], ['QUFB='], ['Q==='], ['QQ===='], ['QQ=', 'Q'], ['QUFB', '!'], ['QU-B']]) {
    assert.throws(() => decodes(bad), Error, bad.join('|'));
  }
});

test('checkAttachmentName makes names NFC and refuses anything that is not one plain file name everywhere', () => {
  assert.equal(checkAttachmentName('Quyết định.pdf'.normalize('NFD')), 'Quyết định.pdf'.normalize('NFC'));
  for (const fine of ['CONSOLE.pdf', 'COM10.pdf', 'LPT.txt', 'a..b.pdf', 'CLOCK.pdf', 'nul-ls.pdf', '.hidden']) assert.equal(checkAttachmentName(fine), fine);
  const bad = [
    ['', '   ', '.', '..', 'a/b.pdf', 'a\\b.pdf', '../x', 'C:x.pdf', 'd:\\x', 'a\u0000b', 'a\nb', 'a?.pdf'],
    // Devices, with or without an extension, in any case.
    ['CON', 'con.txt', 'Nul.tar.gz', 'COM1.pdf', 'lpt9', 'COM0', 'com0.pdf', 'LPT0', 'lpt0.txt', 'COM¹', 'lpt³.pdf', 'CONIN$', 'conin$.txt', 'CONOUT$', 'conout$.log', 'CLOCK$', 'Clock$.pdf', 'nul .txt'],
    // Windows drops a trailing dot or space: the name would not be the one sent.
    ['Quyết định.pdf. . ', 'a.pdf.', 'a.pdf ', 'aux '],
    // Invisible format characters (\p{Cf}): bidi overrides and isolates, zero-width ones, soft hyphen, BOM.
    ['hoadon\u202Efdp.exe', 'a\u202Db.pdf', 'a\u2066b\u2069.pdf', 'a\u200Bb.pdf', 'a\u200Cb.pdf', 'quyết\u200Dđịnh.pdf', 'a\u00ADb.pdf', '\uFEFFa.pdf', 'a\u2060b.pdf'],
    // A lone surrogate has no UTF-8 form.
    ['a\uD800b.pdf'],
  ].flat();
  for (const name of bad) {
    assert.throws(
      () => checkAttachmentName(name),
      (e: unknown) => e instanceof AppError && e.code === 'PACKAGE_REFUSED' && e.details?.reason === 'bad-attachment-name',
      JSON.stringify(name),
    );
  }
});

test('checkAttachmentName shortens a name to fit in UTF-8 bytes with room for " (999)", keeping its extension and whole characters', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  assert.equal(MAX_ATTACHMENT_NAME_BYTES, 255 - bytes(' (999)'));
  const exact = `${'a'.repeat(MAX_ATTACHMENT_NAME_BYTES - 4)}.pdf`;
  assert.equal(checkAttachmentName(exact), exact, 'a name that fits is left alone');
  const long = `${'Quyết định phê duyệt '.repeat(20)}.docx`;
  const short = checkAttachmentName(long);
  assert.ok(bytes(short) <= MAX_ATTACHMENT_NAME_BYTES, `${bytes(short)} bytes`);
  assert.ok(bytes(`${short.slice(0, -5)} (999).docx`) <= 255);
  assert.ok(short.endsWith('.docx'));
  assert.ok(long.startsWith(short.slice(0, -5).trimEnd()));
  assert.ok(!/[. ]$/.test(short.slice(0, -5)), 'the cut does not leave a space before the extension');
  // Decomposed input: every ệ (3 bytes once composed) is kept whole.
  assert.equal(checkAttachmentName(`${'ệ'.repeat(200)}.pdf`.normalize('NFD')), `${'ệ'.repeat(81)}.pdf`);
  // A letter with two marks that do not compose: the cut never separates them.
  const q = 'q\u0323\u0307';
  assert.equal(checkAttachmentName(`${q.repeat(100)}.pdf`), `${q.repeat(49)}.pdf`);
  // After the last dot, 300 characters are no extension: the whole name is cut.
  assert.equal(checkAttachmentName(`a.${'b'.repeat(300)}`), `a.${'b'.repeat(MAX_ATTACHMENT_NAME_BYTES - 2)}`);
});

test('a package whose files the file system will not take is refused (unreadable), not left to fail again', async () => {
  // A work folder so deep that a name of 244 bytes takes the path past PATH_MAX (4096 bytes): the
  // file system answers ENAMETOOLONG, as it did for names that were too long themselves.
  let deep = newWorkDir();
  while (deep.length < 3900) deep = path.join(deep, 'd'.repeat(Math.min(200, 3900 - deep.length + 1)));
  fs.mkdirSync(deep, { recursive: true });
  const file = hostile('deep', { attachments: [{ name: `${'x'.repeat(240)}.pdf`, base64: 'QUFB' }] });
  await assert.rejects(parsePackage(file, { workDir: deep }), (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, 'PACKAGE_REFUSED');
    assert.equal(e.details?.reason, 'unreadable');
    assert.match(e.message, /ENAMETOOLONG/);
    return true;
  });
  assert.deepEqual(fs.readdirSync(deep), [], 'nothing left behind');
});

// ---- attachment content read past sax ----------------------------------------------------

test('attachment content is decoded the same when its start tag is cut by a read, carries entity references or sits in CDATA', async () => {
  const data = randomBytes(90_000);
  const base64 = data.toString('base64');
  const withSubject = (subject: string) => handPackage({ subject, attachments: [{ name: 'a.pdf', base64 }] });
  const bytesBeforeTag = (xml: string) => Buffer.byteLength(xml.slice(0, xml.indexOf('<edXML:ContentTransferEncoded')), 'utf8');
  const bare = withSubject('');
  const tagLength = bare.slice(bare.indexOf('<edXML:ContentTransferEncoded')).indexOf('>') + 1;
  // A subject of x's puts the content's start tag across the first 64 KiB read, cut at each point.
  for (const cutInside of [1, 5, Math.floor(tagLength / 2), tagLength - 1, tagLength]) {
    const xml = withSubject('x'.repeat(65536 - cutInside - bytesBeforeTag(bare)));
    assert.equal(bytesBeforeTag(xml), 65536 - cutInside);
    const [attachment] = edocOf(await parsePackage(scratchFile('cut.edxml', xml), { workDir: newWorkDir() })).attachments;
    assert.equal(attachment!.sha256, sha256(data), `cut ${cutInside} characters into the tag`);
  }
  // Line breaks written as character references (some .NET writers do), and content in CDATA.
  const withEntities = base64.replace(/(.{76})/g, '$1&#13;&#10;');
  const cdata = `<![CDATA[${base64}]]>`;
  for (const [what, content] of [['entity references', withEntities], ['CDATA', cdata]] as const) {
    const [attachment] = edocOf(await parsePackage(scratchFile('content.edxml', handPackage({ attachments: [{ name: 'a.pdf', base64: content }] })), { workDir: newWorkDir() })).attachments;
    assert.equal(attachment!.sha256, sha256(data), what);
  }
});
