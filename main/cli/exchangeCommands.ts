// eoffice sync / queue / in: the exchange over the axis from the command line, for IT staff and
// for scheduled tasks on PCs where the app is not left open.
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import type { MethodName, Output, QueueItem, ReceivedItem, SyncPassResult } from '../common/contract.js';
import { formatDateTimeVn } from '../common/dates.js';
import { CliError } from './tokenCommands.js';

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

export async function runIn(core: Core, args: string[], options: { json: boolean; reason?: string }, out: (line: string) => void): Promise<number> {
  const [action, idText] = args;
  switch (action) {
    case 'list': {
      const items = await call(core, 'exchange.received', { limit: 1000 });
      if (options.json) out(JSON.stringify(items));
      else {
        items.forEach((item) => out(receivedLine(item)));
        out(`${items.length} package(s) received`);
      }
      return 0;
    }
    case 'accept':
    case 'return': {
      const id = Number(idText);
      if (!Number.isInteger(id) || id < 1) throw new CliError(`usage: eoffice in ${action} <document id>${action === 'return' ? ' --reason "…"' : ''}`);
      const document =
        action === 'accept' ? await call(core, 'incoming.accept', { id }) : await call(core, 'incoming.return', { id, reason: options.reason ?? '' });
      out(options.json ? JSON.stringify(document) : `#${document.id} ${document.state} — ${document.subject}`);
      return 0;
    }
    default:
      throw new CliError('usage: eoffice in list [--json] | in accept <id> | in return <id> --reason "…"');
  }
}
