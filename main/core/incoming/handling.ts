// Giải quyết văn bản đến: chuyển xử lý to a person or unit of the directory with a due date
// (status 04 to the sender), đang xử lý (05), đã xử lý xong (06). Every step is refused, with
// nothing changed, from a state it does not follow: a recalled document stays as it is.
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { formatDateVn, isCalendarDate, vnDate } from '../../common/dates.js';
import { answerSender } from '../exchange/replies.js';
import { getHandler } from './handlersDirectory.js';
import type { IncomingContext } from './register.js';

/** The states from which a document may be (re)assigned. */
export const ASSIGNABLE = ['registered', 'assigned', 'in_progress'] as const;
export const STARTABLE = ['assigned'] as const;
export const FINISHABLE = ['assigned', 'in_progress'] as const;

function usableHandler(ctx: IncomingContext, handlerId: number) {
  const handler = getHandler(ctx.db, handlerId);
  if (!handler.active) throw new AppError('HANDLER_INACTIVE', `${handler.name} is no longer active in the handlers directory.`, { handler: handler.name });
  return handler;
}

/** yyyy-MM-dd, a real date. */
export function checkDueDate(due: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new AppError('INVALID_INPUT', `"${due}" is not a date.`, { field: 'due' });
  return due;
}

export function assignIncoming(ctx: IncomingContext, id: number, request: { handlerId: number; due: string; note?: string }): void {
  const due = checkDueDate(request.due);
  const handler = usableHandler(ctx, request.handlerId);
  const row = prepared(ctx.db, "SELECT registered_at FROM documents WHERE id = ? AND direction = 'in'").get(id) as { registered_at: string } | undefined;
  if (row) {
    const arrived = vnDate(new Date(row.registered_at));
    if (due < arrived) throw new AppError('DUE_BEFORE_ARRIVAL', `The due date ${formatDateVn(due)} is before the document arrived (${formatDateVn(arrived)}).`, { due, arrived });
  }
  const note = request.note?.trim() ?? '';
  const who = handler.unit ? `${handler.name} (${handler.unit})` : handler.name;
  answerSender(ctx, id, {
    code: '04',
    description: `Đã chuyển xử lý: ${who}; hạn giải quyết ${formatDateVn(due)}${note ? `. ${note}` : ''}`,
    from: ASSIGNABLE,
    to: 'assigned',
    auditKind: 'assigned',
    details: { handlerId: handler.id, handlerName: handler.name, handlerUnit: handler.unit, due, note },
    apply: (stamp) => {
      // The directory may have changed since it was read.
      usableHandler(ctx, handler.id);
      prepared(ctx.db, 'UPDATE documents SET handler_id = ?, handling_due = ?, assigned_at = ?, started_at = NULL, handled_at = NULL WHERE id = ?').run(handler.id, due, stamp, id);
    },
  });
}

export function startIncoming(ctx: IncomingContext, id: number): void {
  answerSender(ctx, id, {
    code: '05',
    description: 'Đang xử lý',
    from: STARTABLE,
    to: 'in_progress',
    auditKind: 'handling-started',
    apply: (stamp) => void prepared(ctx.db, 'UPDATE documents SET started_at = ? WHERE id = ?').run(stamp, id),
  });
}

export function finishIncoming(ctx: IncomingContext, id: number, note = ''): void {
  const text = note.trim();
  answerSender(ctx, id, {
    code: '06',
    description: text ? `Đã xử lý xong. ${text}` : 'Đã xử lý xong',
    from: FINISHABLE,
    to: 'done',
    auditKind: 'handled',
    details: { note: text },
    apply: (stamp) => void prepared(ctx.db, 'UPDATE documents SET handled_at = ?, started_at = coalesce(started_at, ?) WHERE id = ?').run(stamp, stamp, id),
  });
}
