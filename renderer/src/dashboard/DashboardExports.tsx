// The report of the period as a file (XLSX, PDF), and the two registers limited to the period.
// A register is kept per year, so a period across two years has no single register to cut.
import { useState } from 'react';
import { call } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { saveBytes } from '../outgoing/download.js';
import { singleYear, type DateRange } from './period.js';

type ExportKind = 'report-xlsx' | 'report-pdf' | 'book-out' | 'book-in';

const EXPORTS: readonly { kind: ExportKind; label: MessageKey; badge: 'xlsx' | 'pdf' }[] = [
  { kind: 'report-xlsx', label: 'dashboard.export.xlsx', badge: 'xlsx' },
  { kind: 'report-pdf', label: 'dashboard.export.pdf', badge: 'pdf' },
  { kind: 'book-out', label: 'dashboard.export.bookOut', badge: 'xlsx' },
  { kind: 'book-in', label: 'dashboard.export.bookIn', badge: 'xlsx' },
];

type Notice = { ok: true; fileName: string } | { ok: false; error: unknown };

function exportFile(kind: ExportKind, range: DateRange, year: number | null): Promise<{ fileName: string; bytes: Uint8Array }> {
  switch (kind) {
    case 'report-xlsx':
      return call('report.export', { ...range, format: 'xlsx' });
    case 'report-pdf':
      return call('report.export', { ...range, format: 'pdf' });
    case 'book-out':
      return call('outgoing.exportBook', { year: year!, ...range, format: 'xlsx' });
    case 'book-in':
      return call('incoming.exportBook', { year: year!, ...range, format: 'xlsx' });
  }
}

export function DashboardExports({ range }: { range: DateRange }) {
  const { t, errorMessage } = useI18n();
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const year = singleYear(range);

  async function run(kind: ExportKind) {
    setBusy(kind);
    setNotice(null);
    try {
      const { fileName, bytes } = await exportFile(kind, range, year);
      saveBytes(bytes, fileName);
      setNotice({ ok: true, fileName });
    } catch (error) {
      setNotice({ ok: false, error });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="dashboard-exports-area">
      <div className="dashboard-exports" role="group" aria-label={t('dashboard.export.group')}>
        {EXPORTS.map(({ kind, label, badge }) => {
          const needsYear = kind.startsWith('book-');
          const blocked = needsYear && year === null;
          return (
            <button
              key={kind}
              type="button"
              className="button button-small"
              data-testid={`dashboard-export-${kind}`}
              aria-busy={busy === kind || undefined}
              disabled={busy !== null || blocked}
              title={blocked ? t('dashboard.export.twoYears') : undefined}
              onClick={() => void run(kind)}
            >
              {busy === kind ? <span className="spinner" aria-hidden="true" /> : <span className={`file-badge file-badge-${badge}`} aria-hidden="true" />}
              {t(label)}
            </button>
          );
        })}
      </div>
      {year === null && (
        <p className="field-hint" data-testid="dashboard-export-two-years">
          {t('dashboard.export.twoYears')}
        </p>
      )}
      {notice && (
        <p className={notice.ok ? 'book-notice dashboard-notice' : 'book-notice dashboard-notice is-error'} role={notice.ok ? 'status' : 'alert'} data-testid="dashboard-export-notice">
          <span>{notice.ok ? t('dashboard.export.saved', { fileName: notice.fileName }) : errorMessage(notice.error)}</span>
          <button type="button" className="button button-quiet button-small" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </p>
      )}
    </div>
  );
}
