// eoffice sync / queue / in: the exchange over the axis and the incoming register from the command
// line, for IT staff and for scheduled tasks on PCs where the app is not left open.
import { dateArgument } from './cliDates.js';
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingDetail, IncomingFilter, IncomingItem, MethodName, Output, QueueItem, ReceivedItem, SyncPassResult } from '../common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../common/dates.js';
import { CliError } from './cliError.js';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

function describePass(result: SyncPassResult): string {
  const parts = [
    `connection ${result.connection}`,
    `sent ${result.sent}`,
    `waiting for retry ${result.retrying}`,
    `failed ${result.failed}`,
    `received ${result.received}`,
    `statuses ${result.statuses}`,
    `duplicates ${result.duplicates}`,
    `refused ${result.refused}`,
  ];
  return parts.join(', ') + (result.error ? ` — last error: ${result.error}` : '');
}

/** A pass that ran is a success even when jobs wait for a retry; a missing or refused configuration is not. */
function exitCodeOf(result: SyncPassResult): number {
  if (result.connection === 'not-configured') throw new CliError(result.error ?? 'the axis connection is not set up');
  if (result.connection === 'auth-failed') throw new CliError(`the axis refused our credentials: ${result.error ?? ''}`);
  return 0;
}

/** `now`: what waits for a retry goes now too ("Gửi ngay"); otherwise the retry schedule is kept. */
export async function runSync(core: Core, options: { once: boolean; now: boolean; json: boolean }, out: (line: string) => void): Promise<number> {
  const { once, json } = options;
  const onlyDue = !options.now;
  const report = (result: SyncPassResult) => out(json ? JSON.stringify(result) : describePass(result));
  if (once) {
    const result = await call(core, 'exchange.syncNow', { onlyDue });
    report(result);
    return exitCodeOf(result);
  }
  // Until stopped: a pass at each interval, like the app does.
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped) {
    const result = await call(core, 'exchange.syncNow', { onlyDue });
    report(result);
    exitCodeOf(result);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, core.settings.read().syncIntervalSeconds * 1000).unref();
    });
  }
  return 0;
}

const ACTION_VI: Record<QueueItem['action'], string> = { send: 'gửi', recall: 'thu hồi', update: 'cập nhật', replace: 'thay thế', status: 'trạng thái' };

function queueLine(item: QueueItem): string {
  const what = item.action === 'status' ? `${ACTION_VI.status} ${item.statusCode ?? ''}` : ACTION_VI[item.action];
  const doc = item.notation ?? (item.documentId !== null ? `#${item.documentId}` : '—');
  const next = item.state === 'queued' && item.nextAttemptAt ? ` next try ${formatDateTimeVn(item.nextAttemptAt)}` : '';
  const error = item.lastError ? ` — ${item.lastError}` : '';
  return `${String(item.id).padStart(5)}  ${item.state.padEnd(7)}  ${what.padEnd(14)}  ${doc.padEnd(18)}  → ${item.recipients.join(', ')}  (${item.attempts} tries, ${item.bytes} bytes)${next}${error}`;
}

export async function runQueue(core: Core, json: boolean, out: (line: string) => void): Promise<number> {
  const items = await call(core, 'exchange.queue', { includeSent: false, limit: 1000 });
  const status = await call(core, 'exchange.status', {});
  if (json) {
    out(JSON.stringify({ summary: status.queue, items }));
    return 0;
  }
  items.forEach((item) => out(queueLine(item)));
  const q = status.queue;
  out(`${q.waiting} waiting (${q.bytesWaiting} bytes), ${q.failed} failed, ${q.sentToday} sent today`);
  return 0;
}

const OUTCOME_VI: Record<ReceivedItem['outcome'], string> = { accepted: 'đã nhận', duplicate: 'trùng', refused: 'từ chối' };

function receivedLine(item: ReceivedItem): string {
  const what = item.messageType === 'status' ? `trạng thái ${item.statusCode ?? ''}` : (item.notation ?? item.exchangeId ?? '—');
  const state = item.outcome === 'refused' ? `${OUTCOME_VI.refused}: ${item.refusalReason}` : item.outcome === 'duplicate' ? OUTCOME_VI.duplicate : (item.documentState ?? OUTCOME_VI.accepted);
  const doc = item.documentId !== null ? `#${item.documentId}` : '';
  return `${formatDateTimeVn(item.receivedAt)}  ${(item.senderName ?? item.sender).padEnd(24)}  ${what.padEnd(20)}  ${state.padEnd(12)}  ${doc} ${item.subject ?? ''}`.trimEnd();
}

export interface InOptions {
  json: boolean;
  reason?: string;
  to?: string[];
  due?: string;
  note?: string;
  state?: string;
  overdue?: boolean;
  'due-soon'?: boolean;
  add?: string;
  unit?: string;
  kind?: string;
  deactivate?: string;
  year?: string;
  limit?: string;
  offset?: string;
}

const STATE_FILTERS: Record<string, IncomingFilter> = {
  all: 'all',
  new: 'new',
  received: 'to_accept',
  'to-accept': 'to_accept',
  to_accept: 'to_accept',
  registered: 'registered',
  assigned: 'assigned',
  'in-progress': 'in_progress',
  in_progress: 'in_progress',
  overdue: 'overdue',
  'due-soon': 'due_soon',
  due_soon: 'due_soon',
  done: 'done',
  returned: 'returned',
  recalled: 'recalled',
  'recall-pending': 'recall_pending',
  recall_pending: 'recall_pending',
};

function idArgument(text: string | undefined, usage: string): number {
  const id = Number(text);
  if (!text || !Number.isInteger(id) || id < 1) throw new CliError(`usage: eoffice ${usage}`);
  return id;
}

const STATE_VI: Partial<Record<IncomingItem['state'], string>> = {
  received: 'chờ tiếp nhận',
  registered: 'đã vào sổ',
  assigned: 'đã chuyển xử lý',
  in_progress: 'đang xử lý',
  done: 'đã xử lý xong',
  returned: 'đã trả lại',
  recalled: 'đã thu hồi',
};

function incomingLine(item: IncomingItem): string {
  const number = item.incomingNumber === null ? '  —' : String(item.incomingNumber).padStart(3, '0').replace(/^0(?=\d\d)/, ' ');
  const marks = [item.overdue ? 'QUÁ HẠN' : '', item.dueSoon ? 'SẮP ĐẾN HẠN' : '', item.recallPending ? 'ĐỀ NGHỊ THU HỒI' : ''].filter(Boolean).join(', ');
  const handler = item.handler ? `→ ${item.handler.name}${item.handlingDue ? ` hạn ${formatDateVn(item.handlingDue)}` : ''}` : '';
  return [
    `#${item.id}`.padStart(6),
    `số đến ${number}`,
    formatDateTimeVn(item.arrivedAt),
    (item.notation ?? '—').padEnd(16),
    (STATE_VI[item.state] ?? item.state).padEnd(16),
    handler,
    marks ? `[${marks}]` : '',
    item.subject,
  ]
    .filter(Boolean)
    .join('  ');
}

function detailLines(d: IncomingDetail): string[] {
  const lines = [
    `#${d.id} ${d.subject}`,
    `  trạng thái: ${STATE_VI[d.state] ?? d.state}${d.stateReason ? ` (${d.stateReason})` : ''}`,
    `  ĐẾN: số ${d.incomingNumber === null ? '—' : String(d.incomingNumber).padStart(2, '0')}, ngày ${formatDateTimeVn(d.arrivedAt)} (sổ ${d.registerYear}${d.confidential ? ', mật' : ''})`,
    `  từ: ${d.authorAgency || d.senderCode || '—'}${d.source === 'axis' ? ` (${d.senderCode}, trục liên thông)` : ' (văn bản giấy)'}; số, ký hiệu: ${d.notation ?? '—'}`,
  ];
  if (d.handler) lines.push(`  xử lý: ${d.handler.name}${d.handler.unit ? ` (${d.handler.unit})` : ''}, hạn ${formatDateVn(d.handlingDue)}${d.overdue ? ' — QUÁ HẠN' : d.dueSoon ? ' — sắp đến hạn' : ''}`);
  if (d.recall) lines.push(`  thu hồi: ${d.recall.reason || '(không nêu lý do)'} — ${d.recall.answer === 'accepted' ? 'đã đồng ý' : d.recall.answer === 'refused' ? 'đã từ chối' : 'chờ trả lời'}`);
  if (d.replacesId) lines.push(`  cập nhật/thay thế văn bản #${d.replacesId}`);
  if (d.replacedBy.length) lines.push(`  được cập nhật/thay thế bởi ${d.replacedBy.map((id) => `#${id}`).join(', ')}`);
  for (const s of d.statusHistory) lines.push(`  ${s.direction === 'sent' ? '→' : '←'} ${s.statusCode} ${formatDateTimeVn(s.at)} ${s.description}${s.delivery && s.delivery !== 'sent' ? ` (${s.delivery})` : ''}`);
  return lines;
}

async function handlerId(core: Core, who: string): Promise<number> {
  const text = who.trim().normalize('NFC');
  const all = await call(core, 'handlers.list', { includeInactive: true });
  const found = /^\d+$/.test(text) ? all.find((h) => h.id === Number(text)) : (all.find((h) => h.active && h.name === text) ?? all.find((h) => h.name === text));
  if (!found) throw new CliError(`no handler "${text}" in the directory; add one with: eoffice in handlers --add "${text}" --unit "…"`);
  return found.id;
}

async function runHandlers(core: Core, options: InOptions, out: (line: string) => void): Promise<number> {
  if (options.add !== undefined) {
    const kind = options.kind ?? 'person';
    if (kind !== 'person' && kind !== 'unit') throw new CliError(`--kind must be person or unit, not "${kind}"`);
    const added = await call(core, 'handlers.add', { name: options.add, unit: options.unit ?? '', kind });
    out(options.json ? JSON.stringify(added) : `#${added.id} ${added.name}${added.unit ? ` (${added.unit})` : ''}`);
    return 0;
  }
  if (options.deactivate !== undefined) {
    const off = await call(core, 'handlers.deactivate', { id: await handlerId(core, options.deactivate) });
    out(options.json ? JSON.stringify(off) : `#${off.id} ${off.name}: ngừng sử dụng`);
    return 0;
  }
  const list = await call(core, 'handlers.list', { includeInactive: true });
  if (options.json) out(JSON.stringify(list));
  else for (const h of list) out(`${String(h.id).padStart(4)}  ${h.kind === 'unit' ? 'đơn vị ' : 'cá nhân'}  ${h.name}${h.unit ? ` (${h.unit})` : ''}${h.active ? '' : '  [ngừng sử dụng]'}`);
  return 0;
}

const IN_USAGE =
  'usage: eoffice in list [--state <filter>] [--overdue] [--due-soon] [--json] | in show <id> | in accept <id> | in return <id> --reason "…" | in register <file.pdf> | ' +
  'in assign <id> --to <handler> --due dd/MM/yyyy [--note "…"] | in start <id> | in done <id> [--note "…"] | in recall accept|refuse <id> [--reason "…"] | ' +
  'in handlers [--add "Name" --unit "…" [--kind person|unit]] [--deactivate <id|name>]';

export async function runIn(core: Core, args: string[], options: InOptions, out: (line: string) => void): Promise<number> {
  const [action, idText, third] = args;
  const show = (d: IncomingDetail) => {
    if (options.json) out(JSON.stringify(d));
    else detailLines(d).forEach((line) => out(line));
    return 0;
  };
  const brief = (d: IncomingDetail) => {
    const number = d.incomingNumber === null ? '' : ` số đến ${String(d.incomingNumber).padStart(2, '0')}/${d.registerYear}`;
    out(options.json ? JSON.stringify(d) : `#${d.id} ${d.state}${number} — ${d.subject}`);
    return 0;
  };
  switch (action) {
    case 'list': {
      const chosen = [options.state !== undefined ? options.state : null, options.overdue ? 'overdue' : null, options['due-soon'] ? 'due-soon' : null].filter((f): f is string => f !== null);
      if (chosen.length === 0 && options.year === undefined) {
        // What arrived over the axis, package by package (refused ones with the reason).
        const items = await call(core, 'exchange.received', { limit: 1000 });
        if (options.json) out(JSON.stringify(items));
        else {
          items.forEach((item) => out(receivedLine(item)));
          out(`${items.length} package(s) received`);
        }
        return 0;
      }
      if (chosen.length > 1) throw new CliError('give one of --state, --overdue, --due-soon');
      const filter = STATE_FILTERS[chosen[0] ?? 'all'];
      if (!filter) throw new CliError(`--state must be one of ${Object.keys(STATE_FILTERS).filter((k) => !k.includes('_')).join(', ')}; not "${chosen[0]}"`);
      const number = (text: string | undefined, name: string, fallback: number) => {
        if (text === undefined) return fallback;
        const n = Number(text);
        if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a whole number, not "${text}"`);
        return n;
      };
      const result = await call(core, 'incoming.list', {
        filter,
        year: options.year === undefined ? undefined : number(options.year, 'year', 0),
        limit: number(options.limit, 'limit', 50),
        offset: number(options.offset, 'offset', 0),
      });
      if (options.json) out(JSON.stringify(result));
      else {
        result.items.forEach((item) => out(incomingLine(item)));
        out(`${result.items.length} of ${result.total} document(s)`);
      }
      return 0;
    }
    case 'show':
      return show(await call(core, 'incoming.get', { id: idArgument(idText, 'in show <id>') }));
    case 'accept':
      return brief(await call(core, 'incoming.accept', { id: idArgument(idText, 'in accept <document id>') }));
    case 'return': {
      const id = idArgument(idText, 'in return <document id> --reason "…"');
      if (!options.reason?.trim()) throw new CliError('--reason "…" is required: the sender is told why the document is returned');
      return brief(await call(core, 'incoming.return', { id, reason: options.reason }));
    }
    case 'register': {
      if (!idText) throw new CliError('usage: eoffice in register <file.pdf>');
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(idText);
      } catch (error) {
        throw new CliError(`cannot read ${idText} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      return brief(await call(core, 'incoming.register', { fileName: path.basename(idText), bytes: new Uint8Array(bytes) }));
    }
    case 'assign': {
      const id = idArgument(idText, 'in assign <id> --to <handler> --due dd/MM/yyyy');
      if (!options.to?.length) throw new CliError('--to <handler id or exact name> is required');
      if (options.to.length > 1) throw new CliError('--to names one handler');
      const due = dateArgument(options.due, 'due');
      return brief(await call(core, 'incoming.assign', { id, handlerId: await handlerId(core, options.to[0]!), due, note: options.note ?? '' }));
    }
    case 'start':
      return brief(await call(core, 'incoming.start', { id: idArgument(idText, 'in start <id>') }));
    case 'done':
      return brief(await call(core, 'incoming.done', { id: idArgument(idText, 'in done <id> [--note "…"]'), note: options.note ?? '' }));
    case 'recall': {
      if (idText !== 'accept' && idText !== 'refuse') throw new CliError('usage: eoffice in recall accept|refuse <id> [--reason "…"]');
      const id = idArgument(third, 'in recall accept|refuse <id> [--reason "…"]');
      return brief(await call(core, 'incoming.answerRecall', { id, accept: idText === 'accept', reason: options.reason ?? '' }));
    }
    case 'handlers':
      return runHandlers(core, options, out);
    default:
      throw new CliError(IN_USAGE);
  }
}
