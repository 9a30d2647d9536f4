// The command line's way of naming a signer (common/signerChoice.ts): every form the issue lists,
// the odd ones a clerk types (a token label with spaces and Vietnamese letters, a phone number
// written with spaces or +84), and the malformed ones, each refused with the accepted forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSignerChoice, parseSignerChoice, type SignerChoice } from '../../main/common/signerChoice.js';

test('each form reads as its choice and prints back the same', () => {
  const cases: Array<[string, SignerChoice]> = [
    ['token:VNPT-CA Lãnh đạo', { kind: 'token', label: 'VNPT-CA Lãnh đạo' }],
    ['token:Token Văn thư/9a01', { kind: 'token', label: 'Token Văn thư', certificateId: '9a01' }],
    ['smartca:079123456789', { kind: 'smartca', account: '079123456789' }],
    ['smartca:079123456789/smartca-an', { kind: 'smartca', account: '079123456789', credentialId: 'smartca-an' }],
    ['csc:vnpt/csc-an', { kind: 'csc', provider: 'vnpt', credentialId: 'csc-an' }],
    ['mss:84912345678', { kind: 'mss', msisdn: '84912345678' }],
  ];
  for (const [text, choice] of cases) {
    assert.deepEqual(parseSignerChoice(text), choice, text);
    assert.equal(formatSignerChoice(choice), text);
  }
});

test('a mobile number written as people write it is kept in the international form', () => {
  for (const written of ['0912 345 678', '+84 912 345 678', '0912.345.678', '84912345678']) {
    assert.deepEqual(parseSignerChoice(`mss:${written}`), { kind: 'mss', msisdn: '84912345678' }, written);
  }
});

test('malformed choices are refused with the forms that are accepted', () => {
  for (const text of ['', 'token', 'token:', 'token:/9a01', 'token:Lãnh đạo/', 'usb:Lãnh đạo', 'csc:vnpt', 'csc:/csc-an', 'smartca:  ', 'smartca:079123456789/']) {
    assert.throws(() => parseSignerChoice(text), /is not a signer; write token:<label>/, JSON.stringify(text));
  }
  assert.throws(() => parseSignerChoice('mss:12345'), /not a Vietnamese mobile number/);
});
