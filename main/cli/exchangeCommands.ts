// eoffice sync / queue / in: the exchange over the axis and the incoming register from the command
// line, for IT staff and for scheduled tasks on PCs where the app is not left open.
import { dateArgument } from './cliDates.js';
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingDetail, IncomingFilter, IncomingItem, MethodName, Output, QueueItem, ReceivedItem, SyncPassResult } from '../common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../common/dates.js';
import { documentType, documentTypeByAbbreviation } from '../common/doctypes.js';
import { isGuessed, missingRegisterFields, type CaptureField, type CaptureSource } from '../common/capture.js';
import { CliError } from './cliError.js';
import { exportFile, printFiles } from './fileCommands.js';
import { duplicateText, warnDuplicates } from './duplicateWarning.js';

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
    ...(result.possibleDuplicates ? [`possible duplicates of documents in the register ${result.possibleDuplicates} (eoffice in show <id>)`] : []),
    `refused ${result.refused}`,
  ];
  return parts.join(', ') + (result.error ? ` — last error: ${result.error.message}` : '');
}

/** A pass that ran is a success even when jobs wait for a retry; a missing or refused configuration is not. */
function exitCodeOf(result: SyncPassResult): number {
  if (result.connection === 'not-configured') throw new CliError(result.error?.message ?? 'the axis connection is not set up');
  if (result.connection === 'auth-failed') throw new CliError(`the axis refused our credentials: ${result.error?.message ?? ''}`);
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
  const error = item.lastError ? ` — ${item.lastError.message}` : '';
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
  /** in export: where to, and which attachment (from 1) instead of the received file. */
  output?: string;
  attachment?: string;
  /** in accept / in register: what the register needs, over what was read off the file. */
  notation?: string;
  date?: string;
  agency?: string;
  type?: string;
  subject?: string;
}

/** --type takes the printed abbreviation (QĐ, NĐ, TB), the ASCII code (QD, ND) or CV for a công văn. */
function typeOption(text: string): string {
  const found = documentType(text.toUpperCase()) ?? documentTypeByAbbreviation(text);
  if (!found) throw new CliError(`--type "${text}" is not a document type (QĐ, NĐ, TT, TB, KH, CV…)`);
  return found.code;
}

/** The register's fields given on the command line (in accept, in register). */
function registerFields(options: InOptions) {
  return {
    ...(options.notation !== undefined && { notation: options.notation }),
    ...(options.date !== undefined && { documentDate: dateArgument(options.date, 'date') }),
    ...(options.agency !== undefined && { authorAgency: options.agency }),
    ...(options.type !== undefined && { typeCode: typeOption(options.type) }),
    ...(options.subject !== undefined && { subject: options.subject }),
  };
}

/** Where a guessed field came from, as the clerk reads it. */
const SOURCE_VI: Record<CaptureSource, string> = {
  edxml: 'gói tin trục liên thông',
  'page-text': 'nội dung trang đầu',
  'signature-appearance': 'chữ ký số trên văn bản',
  certificate: 'chứng thư số người ký',
  'file-name': 'tên tệp',
  clerk: 'văn thư nhập',
};

/** "2280/QĐ-UBND (đoán từ chữ ký số trên văn bản)", or "chưa xác định — cần nhập khi tiếp nhận". */
function fieldText(d: IncomingDetail, field: CaptureField, value: string): string {
  const capture = d.document.capture;
  const missing = (missingRegisterFields(d.document, capture) as string[]).includes(field);
  if (missing) return `${value ? `${value} ` : ''}(chưa xác định — cần nhập khi tiếp nhận)`;
  if (isGuessed(capture, field)) return `${value} (đoán từ ${SOURCE_VI[capture!.sources[field]!]})`;
  return value || '—';
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
    `  ĐẾN: số đến ${d.incomingNumber === null ? '— (chưa vào sổ)' : String(d.incomingNumber).padStart(2, '0')}, ngày đến ${formatDateTimeVn(d.arrivedAt)} (sổ ${d.registerYear}${d.confidential ? ', mật' : ''})`,
    `  nguồn: ${d.source === 'axis' ? `trục liên thông (${d.senderCode})` : d.source === 'electronic' ? 'văn bản điện tử nhận ngoài trục' : 'văn bản giấy'}`,
    `  số, ký hiệu của văn bản: ${fieldText(d, 'notation', d.notation ?? '')}`,
    `  ngày văn bản: ${fieldText(d, 'documentDate', formatDateVn(d.documentDate))}`,
    `  cơ quan ban hành: ${fieldText(d, 'authorAgency', d.authorAgency)}`,
    `  loại văn bản: ${fieldText(d, 'typeCode', d.document.capture?.sources.typeCode === null ? '' : (documentType(d.typeCode)?.vi ?? d.typeCode))}`,
    `  trích yếu: ${fieldText(d, 'subject', d.subject)}`,
  ];
  if (d.identifierCode) lines.push(`  mã định danh văn bản: ${d.identifierCode}`);
  if (d.document.signerName) lines.push(`  người ký: ${fieldText(d, 'signerName', d.document.signerName)}`);
  if (d.document.capture?.signedBy.length) lines.push(`  ký số bởi: ${d.document.capture.signedBy.map((s) => (s.organization && s.organization !== s.name ? `${s.name} (${s.organization})` : s.name)).join('; ')}`);
  if (d.handler) lines.push(`  xử lý: ${d.handler.name}${d.handler.unit ? ` (${d.handler.unit})` : ''}, hạn giải quyết ${formatDateVn(d.handlingDue)}${d.overdue ? ' — QUÁ HẠN' : d.dueSoon ? ' — sắp đến hạn' : ''}`);
  if (d.assignNote) lines.push(`  ý kiến giao xử lý: ${d.assignNote}`);
  if (d.doneNote) lines.push(`  kết quả xử lý: ${d.doneNote}`);
  if (d.recall) lines.push(`  thu hồi: ${d.recall.reason || '(không nêu lý do)'} — ${d.recall.answer === 'accepted' ? 'đã đồng ý' : d.recall.answer === 'refused' ? 'đã từ chối' : 'chờ trả lời'}`);
  if (d.replacesId) lines.push(`  cập nhật/thay thế văn bản #${d.replacesId}`);
  if (d.replacedBy.length) lines.push(`  được cập nhật/thay thế bởi ${d.replacedBy.map((id) => `#${id}`).join(', ')}`);
  for (const c of d.duplicates) lines.push(`  ${c.linked ? 'trùng (đã liên kết)' : 'CÓ THỂ TRÙNG'}: ${duplicateText(c)}`);
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
  'usage: eoffice in list [--state <filter>] [--overdue] [--due-soon] [--json] | in show <id> | in export <id> [--attachment N] -o <file> | in accept <id> [--notation "…" --date dd/MM/yyyy --agency "…" --type QĐ --subject "…"] | in return <id> --reason "…" | in register <file.pdf> [the same] | in link <id> --to <other id> | ' +
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
    case 'show': {
      const id = idArgument(idText, 'in show <id>');
      show(await call(core, 'incoming.get', { id }));
      // The received file and its attachments, as sent (in export <id> --attachment N copies one out).
      if (!options.json) await printFiles(core, id, out);
      return 0;
    }
    case 'export':
      return exportFile(core, idArgument(idText, 'in export <id> [--attachment N] -o <file>'), options, out);
    case 'accept': {
      const accepted = await call(core, 'incoming.accept', { id: idArgument(idText, 'in accept <document id> [--notation "…" --date dd/MM/yyyy --agency "…" --type QĐ --subject "…"]'), fields: registerFields(options) });
      brief(accepted);
      warnDuplicates(`document #${accepted.id}`, accepted.id, accepted.duplicates);
      return 0;
    }
    case 'link': {
      // Liên kết: the clerk says the two are the same document (the warning's other #id).
      const id = idArgument(idText, 'in link <id> --to <other id>');
      if (options.to?.length !== 1) throw new CliError('usage: eoffice in link <id> --to <other id>');
      const linked = await call(core, 'incoming.linkDuplicate', { id, linkedId: idArgument(options.to[0], 'in link <id> --to <other id>') });
      return show(linked);
    }
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
      const registered = await call(core, 'incoming.register', { fileName: path.basename(idText), bytes: new Uint8Array(bytes), fields: registerFields(options) });
      brief(registered);
      warnDuplicates(idText, registered.id, registered.duplicates);
      return 0;
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
