// Văn bản đến: the clerk's working list of what arrived, by filter (new, to accept, assigned,
// overdue, …) with each filter's count, beside the chosen document's panel. A paper document
// is registered here too: its scan is taken into the register with its số đến at once.
import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import type { IncomingFilter, IncomingItem, Output, RegisterFieldsInput } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useExchangeData } from '../exchange/useExchangeData.js';
import { useI18n } from '../i18n/i18n.js';
import { IncomingPanel } from './IncomingPanel.js';
import { IncomingTable } from './IncomingTable.js';
import { AcceptDialog } from './AcceptDialog.js';
import { BatchAccept, type BatchOutcome } from './BatchAccept.js';
import { formatIncomingNumber } from './incomingTerms.js';
import '../outgoing/outgoing.css';
import '../exchange/exchange.css';
import './incoming.css';

/** The tabs, in the order the clerk works through them. */
export const INCOMING_FILTERS: readonly IncomingFilter[] = ['new', 'to_accept', 'registered', 'assigned', 'in_progress', 'overdue', 'due_soon', 'done', 'recall_pending', 'returned', 'recalled', 'all'];
const PAGE = 500;

type RegisterNotice = { state: 'reading'; fileName: string } | { state: 'running'; fileName: string } | { state: 'done'; fileName: string; number: string } | { state: 'failed'; error: unknown };
/** A paper document's scan, read and waiting for the clerk to complete its record. */
type PaperScan = { fileName: string; bytes: Uint8Array<ArrayBuffer>; record: Output<'incoming.readRecord'> };

interface IncomingViewProps {
  selectedId: number | null;
  onSelect: (id: number | null) => void;
  onClose: () => void;
}

export function IncomingView({ selectedId, onSelect, onClose }: IncomingViewProps) {
  const { t, count, errorMessage } = useI18n();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [filter, setFilter] = useState<IncomingFilter>('to_accept');
  const [pages, setPages] = useState(1);
  const [total, setTotal] = useState<number | null>(null);
  const [registerNotice, setRegisterNotice] = useState<RegisterNotice | null>(null);
  const [paper, setPaper] = useState<PaperScan | null>(null);
  // Tiếp nhận several at once: the rows ticked, and what the last batch did.
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [batch, setBatch] = useState<BatchOutcome | null>(null);
  const onCheck = (ids: readonly number[], on: boolean) =>
    setChecked((previous) => {
      const next = new Set(previous);
      for (const checkedId of ids) {
        if (on) next.add(checkedId);
        else next.delete(checkedId);
      }
      return next;
    });

  useEffect(() => heading.current?.focus(), []);

  const counts = useExchangeData('incoming-counts', () => call('incoming.counts', {}));
  const { loaded, reload } = useExchangeData<readonly IncomingItem[]>(`incoming-list:${filter}:${pages}`, async () => {
    const items: IncomingItem[] = [];
    for (let page = 0; page < pages; page++) {
      const answer = await call('incoming.list', { filter, offset: page * PAGE, limit: PAGE });
      setTotal(answer.total);
      items.push(...answer.items);
      if (answer.items.length < PAGE) break;
    }
    return items;
  });
  const shown = loaded.status === 'ready' ? loaded.data.length : 0;

  function chooseFilter(next: IncomingFilter) {
    setFilter(next);
    setChecked(new Set());
    setPages(1);
    setTotal(null);
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const index = INCOMING_FILTERS.indexOf(filter);
    const next = INCOMING_FILTERS[(index + (event.key === 'ArrowRight' ? 1 : INCOMING_FILTERS.length - 1)) % INCOMING_FILTERS.length]!;
    chooseFilter(next);
    document.getElementById(`${id}-filter-${next}`)?.focus();
  }

  /** Vào sổ văn bản giấy: the scan is read first, and the clerk completes what the register needs before it gets its số đến. */
  async function readPaper(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setRegisterNotice({ state: 'reading', fileName: file.name });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const record = await call('incoming.readRecord', { fileName: file.name, bytes });
      setRegisterNotice(null);
      setPaper({ fileName: file.name, bytes, record });
    } catch (error) {
      setRegisterNotice({ state: 'failed', error });
    }
  }

  async function registerPaper(scan: PaperScan, fields: RegisterFieldsInput) {
    const detail = await call('incoming.register', { fileName: scan.fileName, bytes: scan.bytes, fields });
    setRegisterNotice({ state: 'done', fileName: scan.fileName, number: formatIncomingNumber(detail.incomingNumber) });
    onSelect(detail.id);
    reload();
  }

  return (
    <section className="incoming-view" aria-labelledby={`${id}-title`} data-testid="incoming-view">
      <header className="view-head">
        <div className="view-head-text">
          <h2 id={`${id}-title`} className="view-title" ref={heading} tabIndex={-1}>
            {t('incoming.title')}
          </h2>
          <p className="muted">{t('incoming.lead')}</p>
        </div>
        <button
          type="button"
          className="button button-primary"
          data-testid="register-paper"
          title={t('incoming.registerPaperHint')}
          disabled={registerNotice?.state === 'running' || registerNotice?.state === 'reading' || paper !== null}
          onClick={() => fileInput.current?.click()}
        >
          {registerNotice?.state === 'running' || registerNotice?.state === 'reading' ? <span className="spinner spinner-on-primary" aria-hidden="true" /> : <span className="icon-plus" aria-hidden="true" />}
          {t('incoming.registerPaper')}
        </button>
        <input ref={fileInput} type="file" accept=".pdf,application/pdf" hidden data-testid="register-paper-file" onChange={(e) => void readPaper(e)} />
        <button type="button" className="button" onClick={onClose}>
          {t('draft.backToList')}
        </button>
      </header>
      {registerNotice && (
        <div className={registerNotice.state === 'failed' ? 'pass-notice is-error' : 'pass-notice'} role={registerNotice.state === 'failed' ? 'alert' : 'status'} data-testid="register-paper-notice">
          <span className="pass-notice-text">
            {registerNotice.state === 'reading'
              ? t('incoming.reading', { fileName: registerNotice.fileName })
              : registerNotice.state === 'running'
              ? t('incoming.registering', { fileName: registerNotice.fileName })
              : registerNotice.state === 'done'
                ? t('incoming.registered', { fileName: registerNotice.fileName, number: registerNotice.number })
                : errorMessage(registerNotice.error)}
          </span>
          {registerNotice.state !== 'running' && registerNotice.state !== 'reading' && (
            <button type="button" className="button button-quiet button-small" onClick={() => setRegisterNotice(null)}>
              {t('common.dismiss')}
            </button>
          )}
        </div>
      )}
      <div className="incoming-filters" role="tablist" aria-label={t('incoming.filters')} onKeyDown={onTabKey}>
        {INCOMING_FILTERS.map((name) => {
          const n = counts.loaded.status === 'ready' ? counts.loaded.data[name] : undefined;
          const tone = (name === 'overdue' || name === 'recall_pending') && n ? ' is-alert' : name === 'due_soon' && n ? ' is-warn' : '';
          return (
            <button
              key={name}
              id={`${id}-filter-${name}`}
              type="button"
              role="tab"
              className={`incoming-filter${tone}`}
              data-testid={`incoming-filter-${name}`}
              aria-selected={filter === name}
              aria-controls={`${id}-panel`}
              tabIndex={filter === name ? 0 : -1}
              onClick={() => chooseFilter(name)}
            >
              <span>{t(`incoming.filter.${name}`)}</span>
              {n !== undefined && (
                <span className="incoming-filter-count" data-testid={`incoming-count-${name}`}>
                  {count(n)}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div className="incoming-body">
        <div id={`${id}-panel`} className="incoming-list" role="tabpanel" aria-labelledby={`${id}-filter-${filter}`}>
          <BatchAccept
            items={loaded.status === 'ready' ? loaded.data : []}
            checkedIds={checked}
            outcome={batch}
            onOutcome={(outcome) => {
              setBatch(outcome);
              // What was taken into the register leaves the selection; what was not stays ticked, to fill in and try again.
              setChecked(new Set(outcome.failed.map((f) => f.id)));
              reload();
              counts.reload();
            }}
            onClear={() => setChecked(new Set())}
            onDismiss={() => setBatch(null)}
            onOpen={onSelect}
          />
          <IncomingTable label={t(`incoming.filter.${filter}`)} loaded={loaded} selectedId={selectedId} onSelect={onSelect} checkedIds={checked} onCheck={onCheck} />
          {loaded.status === 'ready' && total !== null && total > 0 && (
            <div className="incoming-list-foot">
              <span className="muted" role="status" data-testid="incoming-list-count">
                {t('incoming.count', { shown: count(shown), total: count(total) })}
              </span>
              {shown < total && (
                <button type="button" className="button button-small" onClick={() => setPages((n) => n + 1)}>
                  {t('incoming.loadMore')}
                </button>
              )}
            </div>
          )}
        </div>
        <IncomingPanel documentId={selectedId} onOpenDocument={onSelect} />
      </div>
      {paper && <AcceptDialog document={paper.record} paperFileName={paper.fileName} onSubmit={(fields) => registerPaper(paper, fields)} onClose={() => setPaper(null)} />}
    </section>
  );
}
