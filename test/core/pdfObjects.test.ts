// The structure reader's own parsing of hexadecimal strings (pdfStructure.ts reads them in one
// step, pdf-lib a character at a time) and the streams compressed once (pdf/deflate.ts): both must
// give what pdf-lib itself gives, including for the odd inputs real files carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { PDFContext, PDFDict, PDFHexString, PDFName, PDFObjectParser, PDFRawStream } from 'pdf-lib';
import { parseObjectAt } from '../../main/core/pades/pdfStructure.js';
import { bytesSource } from '../../main/core/pdf/source.js';
import { deflateOnce, useDeflateOnce } from '../../main/core/pdf/deflate.js';

const latin1 = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));

test('hexadecimal strings read as pdf-lib reads them: empty, odd length, spaced over lines, beside other objects', () => {
  const body = '<< /Contents <3082 01\n0a\r\n ff> /Empty <> /Odd <abc> /Name /X /Array [<01> <0203>] /Text (a<b>c) >>';
  const ours = parseObjectAt(bytesSource(latin1(`7 0 obj\n${body}\nendobj\n`)), 0, PDFContext.create());
  const theirs = PDFObjectParser.forBytes(latin1(body), PDFContext.create()).parseObject();
  assert.equal(ours.num, 7);
  assert.ok(ours.object instanceof PDFDict);
  assert.equal(ours.object.toString(), theirs.toString());
  const contents = ours.object.get(PDFName.of('Contents'));
  assert.ok(contents instanceof PDFHexString);
  // The text between the brackets as it stands, whitespace and all, as pdf-lib keeps it.
  assert.equal(contents.asString(), '3082 01\n0a\r\n ff');
});

test('a hexadecimal string that does not end in the bytes is an incomplete object, not a string cut short', () => {
  const source = bytesSource(latin1('3 0 obj\n<< /Contents <30820a0b'));
  assert.throws(() => parseObjectAt(source, 0, PDFContext.create()), (error: Error & { code?: string }) => error.code === 'DAMAGED_PDF' && /incomplete/.test(error.message));
});

test('a stream compressed once inflates to its content, and the same content gives the same bytes', () => {
  const font = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251);
  const first = deflateOnce(font);
  assert.deepEqual(new Uint8Array(inflateSync(first)), font);
  assert.equal(deflateOnce(Uint8Array.from(font)), first, 'a copy of the content is recognised by its bytes');
  const context = PDFContext.create();
  useDeflateOnce(context);
  // pdf-lib gives a ToUnicode map as text: taken a byte per character, as pdf-lib takes it.
  const stream = context.flateStream('/CIDInit /ProcSet findresource begin', { Type: 'Test' });
  assert.ok(stream instanceof PDFRawStream);
  assert.equal(stream.dict.get(PDFName.of('Filter')), PDFName.of('FlateDecode'));
  assert.equal(stream.dict.get(PDFName.of('Type')), PDFName.of('Test'));
  assert.equal(inflateSync(stream.contents).toString('latin1'), '/CIDInit /ProcSet findresource begin');
});
