// A call that must be refused with a given code: the AppError it threw, for the test to read on.
import assert from 'node:assert/strict';
import { AppError } from '../../main/common/errors.js';

export async function refusedWith(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}
