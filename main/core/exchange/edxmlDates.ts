// edXML writes dates as yyyy/MM/dd and times as yyyy/MM/dd HH:mm:ss, in the sender's local time,
// which for every Vietnamese agency is Asia/Ho_Chi_Minh (+07:00, no daylight saving).
import { isCalendarDate, toVnIso } from '../../common/dates.js';

/** 'yyyy-MM-dd' → 'yyyy/MM/dd'. */
export function edxmlDate(isoDate: string): string {
  return isoDate.slice(0, 10).replaceAll('-', '/');
}

export function edxmlTimestamp(at: Date): string {
  const iso = toVnIso(at);
  return `${edxmlDate(iso)} ${iso.slice(11, 19)}`;
}

/**
 * 'yyyy/MM/dd' (or with a time) as sent → 'yyyy-MM-dd' when it is a real calendar date, else
 * null. The package keeps the value as sent: real ones carry 2014/02/30, which is not refused.
 */
export function isoFromEdxmlDate(value: string | undefined): string | null {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(value?.trim() ?? '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(y, mo, d)) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
