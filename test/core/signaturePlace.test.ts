// Finding the signature block at the foot of a document (Decree 30, Appendix I): the gap between
// the signer's position and the full name, where a signature without a rectangle goes, and the
// seal over the left third of the competent person's signature. Documents made by the test, and
// the Hà Nội city's signed documents as they were published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { findSignatureBlock, findSignaturePlace } from '../../main/core/pades/signaturePlace.js';
import { sealRect } from '../../main/core/pades/appearance.js';
import { AppError } from '../../main/common/errors.js';
import { interopPdf, makeVietnamesePdf } from '../support/fixtures.js';
import { BLOCK, makeSignerBlockPdf } from '../support/signerBlockPdf.js';

const read = (name: string) => new Uint8Array(fs.readFileSync(interopPdf(name)));

test('the block on the last page: the signature goes between the position and the name, centred on the name', async () => {
  const pdf = await makeSignerBlockPdf({ position: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], name: 'Nguyễn Văn An' });
  const block = await findSignatureBlock(pdf, { signerName: 'Nguyễn Văn An' });
  assert.ok(block);
  assert.equal(block.page, 2);
  assert.deepEqual(block.position, ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']);
  assert.equal(block.name, 'Nguyễn Văn An');
  const [x, y, w, h] = block.rect;
  // Above the name's capitals, below the position's descenders.
  assert.ok(y > BLOCK.nameBaseline + 0.7 * BLOCK.size, `bottom ${y} clears the name`);
  assert.ok(y + h < BLOCK.positionBaseline - 16 - 0.2 * BLOCK.size, `top ${y + h} clears "CHỦ TỊCH"`);
  assert.ok(h > 40, 'the gap is used');
  assert.ok(Math.abs(x + w / 2 - BLOCK.middle) < 1, `centred on the name (${x + w / 2})`);
  // Without a name, the same block is the page's.
  assert.deepEqual(await findSignatureBlock(pdf), block);
});

test('the name is compared folded (accents, đ, case, spaces) with the whole printed name; another name has no block', async () => {
  const pdf = await makeSignerBlockPdf({ position: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: 'Đỗ Thị Bình' });
  for (const name of ['ĐỖ THỊ BÌNH', 'do thi binh', '  Đỗ   Thị Bình ']) {
    const block = await findSignatureBlock(pdf, { signerName: name });
    assert.equal(block?.name, 'Đỗ Thị Bình', name);
    assert.deepEqual(block?.position, ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
  }
  for (const name of ['Nguyễn Văn An', 'Thị Bình', 'Đỗ Thị Bình An', '']) assert.equal(await findSignatureBlock(pdf, { signerName: name }), null, name);
});

test('a name in the body, or a block on another page than the one searched, is no block', async () => {
  // Page 1 names "Nguyễn Văn An" in a sentence, with no position in capitals above a gap.
  const pdf = await makeSignerBlockPdf({ position: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], name: 'Nguyễn Văn An' });
  assert.equal(await findSignatureBlock(pdf, { page: 1, signerName: 'Nguyễn Văn An' }), null);
  assert.equal((await findSignatureBlock(pdf, { page: 2, signerName: 'Nguyễn Văn An' }))?.page, 2);
  const letter = await makeVietnamesePdf(['Kính gửi: Ông Nguyễn Văn An', 'CHỦ TỊCH', 'Nguyễn Văn An']);
  assert.equal(await findSignatureBlock(letter, { signerName: 'Nguyễn Văn An' }), null, 'capitals right above, no room to sign');
  await assert.rejects(findSignatureBlock(pdf, { page: 3, fileName: 'qd.pdf' }), (e: AppError) => e.code === 'INVALID_INPUT' && /qd\.pdf has no page 3 \(it has 2\)/.test(e.message));
  await assert.rejects(findSignatureBlock(new TextEncoder().encode('%PDF-1.7\nnot really')), (e: AppError) => e.code === 'DAMAGED_PDF');
});

test('the agency: over the left third of the block’s signature place when the page has no signature', async () => {
  const pdf = await makeSignerBlockPdf({ position: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], name: 'Nguyễn Văn An' });
  const block = await findSignatureBlock(pdf);
  const place = await findSignaturePlace(pdf, 'agency');
  assert.ok(place.found && block);
  assert.equal(place.page, 2);
  const [bx, , bw] = block.rect;
  const [sx, , sw] = place.rect;
  assert.ok(Math.abs(sx + sw - (bx + bw / 3)) < 0.01, 'the seal ends a third into the signature');
  // No block and no signature: nothing to place it on.
  assert.deepEqual(await findSignaturePlace(await makeVietnamesePdf(['Kính gửi: các đơn vị']), 'agency'), { found: false, page: 1, pages: 1 });
});

test('Hà Nội TB 453: the block on its one page, and the seal over the competent person’s signature there', async () => {
  const pdf = read('hanoi-tb-453-ubnd-2026.pdf');
  const block = await findSignatureBlock(pdf, { signerName: 'Võ Tuấn Anh' });
  assert.ok(block);
  assert.deepEqual(block.position, ['TL. CHỦ TỊCH', 'KT. CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG']);
  // His signature (the field SignService-Signature at 388,286 203×59) lies mostly in the gap found.
  const [x, y, w, h] = block.rect;
  assert.ok(x < 388 + 203 / 2 && 388 + 203 / 2 < x + w && y < 286 + 59 / 2 && 286 + 59 / 2 < y + h, `${block.rect}`);
  const agency = await findSignaturePlace(pdf, 'agency');
  assert.deepEqual(agency, { found: true, page: 1, rect: sealRect([388, 286, 203, 59]).map((n) => Math.round(n * 100) / 100) });
  assert.equal((await findSignaturePlace(pdf, 'signer', { signerName: 'Nguyễn Văn An' })).found, false);
});

test('Hà Nội QĐ 2280 and KH 173: an annex follows the block, so the pages are read back from the last until one has it', async () => {
  const decision = read('hanoi-qd-2280-ubnd-2026.pdf');
  assert.deepEqual(await findSignatureBlock(decision, { page: 20, signerName: 'Trương Việt Dũng' }), null, 'the annex on the last page has none');
  const found = await findSignatureBlock(decision, { signerName: 'TRUONG VIET DUNG' });
  assert.deepEqual(found && [found.page, found.name, found.position], [1, 'Trương Việt Dũng', ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']]);
  assert.deepEqual(await findSignaturePlace(decision, 'signer', { signerName: 'Nguyễn Văn An' }), { found: false, page: 20, pages: 20 }, 'nobody else’s block');

  const plan = read('hanoi-kh-173-ubnd-2026.pdf');
  const onPage11 = await findSignatureBlock(plan);
  assert.deepEqual(onPage11 && [onPage11.page, onPage11.name, onPage11.position], [11, 'Vũ Đại Thắng', ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']]);
  // Of the page's signatures, his (Signature2, 361,417 150×70) is the one in the gap, not the seal's beside it.
  assert.deepEqual(await findSignaturePlace(plan, 'agency'), { found: true, page: 11, rect: sealRect([361, 417, 150, 70]) });
  assert.deepEqual(await findSignaturePlace(plan, 'agency', { page: 12 }), { found: false, page: 12, pages: 12 });
});
