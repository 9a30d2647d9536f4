// Codes the exchange carries, in the clerk's words: the status codes recipients send back
// (edXML StatusCode) and why a received package was refused (the core's stable reason codes).
// A clerk reads what happened ("Đã tiếp nhận"), not the code: the code goes in a tooltip.
import type { I18n } from '../i18n/i18n.js';
import { REFUSAL_REASONS, STATUS_CODES, type RefusalReason, type StatusCode } from '../../../main/common/exchangeCodes.js';

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** What a known status code means, or null. */
export function statusMeaning({ t }: I18n, code: string): string | null {
  return isOneOf<StatusCode>(STATUS_CODES, code) ? t(`exchange.statusCode.${code}`) : null;
}

/** "Đã tiếp nhận"; a code outside the list shows the recipient's own description, or only then the code. */
export function describeStatus(i18n: I18n, code: string, description?: string | null): string {
  const meaning = statusMeaning(i18n, code) ?? (description || null);
  return meaning ? meaning.charAt(0).toLocaleUpperCase(i18n.locale) + meaning.slice(1) : statusCodeLabel(i18n, code);
}

/** "Trạng thái 03": the code itself, for the tooltip beside its words. */
export function statusCodeLabel({ t }: I18n, code: string): string {
  return t('exchange.statusCode.bare', { code });
}

/** A refusal reason in words; one this version does not know is shown as its code. */
export function describeRefusal({ t }: I18n, reason: string): string {
  return isOneOf<RefusalReason>(REFUSAL_REASONS, reason) ? t(`exchange.refusal.${reason}`) : reason;
}
