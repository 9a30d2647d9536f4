// Official time is Asia/Ho_Chi_Minh, UTC+07:00 all year (no daylight saving since 1975), so a
// fixed offset is exact and needs no time zone database (the renderer may lack full ICU).
const OFFSET_MS = 7 * 3600 * 1000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Wall-clock parts in Vietnam for an instant. */
function vnParts(instant: Date) {
  const t = new Date(instant.getTime() + OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hh: t.getUTCHours(), mm: t.getUTCMinutes(), ss: t.getUTCSeconds() };
}

/** ISO 8601 with the +07:00 offset, e.g. 2026-11-26T11:34:38+07:00. */
export function toVnIso(instant: Date = new Date()): string {
  const p = vnParts(instant);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}T${pad(p.hh)}:${pad(p.mm)}:${pad(p.ss)}+07:00`;
}

export function vnYear(instant: Date = new Date()): number {
  return vnParts(instant).y;
}

/** The calendar date in Vietnam as yyyy-MM-dd. */
export function vnDate(instant: Date = new Date()): string {
  const p = vnParts(instant);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** yyyy-MM-dd → dd/MM/yyyy, the form every Vietnamese clerk reads. */
export function formatDateVn(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/** An ISO instant → dd/MM/yyyy HH:mm in Vietnam time. */
export function formatDateTimeVn(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const p = vnParts(t);
  return `${pad(p.d)}/${pad(p.m)}/${p.y} ${pad(p.hh)}:${pad(p.mm)}`;
}

/** Whether y-m-d is a real calendar date (real documents carry dates like 2014/02/30). */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
