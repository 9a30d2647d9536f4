import type { Handler } from '../../../main/common/contract.js';

/** Số đến as the register writes it: 01, 02, … 100. */
export function formatIncomingNumber(n: number | null): string {
  return n === null ? '' : String(n).padStart(2, '0');
}

export function handlerLabel(handler: Handler): string {
  return handler.unit ? `${handler.name} (${handler.unit})` : handler.name;
}
