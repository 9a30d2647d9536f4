import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldVietnamese } from '../../main/common/fold.js';

test('folding removes tones and vowel marks and maps đ/Đ to d', () => {
  assert.equal(foldVietnamese('Chuyển đổi số'), 'chuyen doi so');
  assert.equal(foldVietnamese('ĐẢNG ỦY Đồng Tháp'), 'dang uy dong thap');
  assert.equal(foldVietnamese('Quyết định 123/QĐ-UBND'), 'quyet dinh 123/qd-ubnd');
});

test('folding keeps the length of NFC text, so positions map back to the original', () => {
  const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
  const all = letters + letters.toUpperCase();
  assert.equal(foldVietnamese(all).length, all.length);
  assert.match(foldVietnamese(all), /^[aeiouyd]+$/);
});

test('decomposed (NFD) input folds the same as composed input', () => {
  assert.equal(foldVietnamese('Hà Nội'.normalize('NFD')), 'ha noi');
});
