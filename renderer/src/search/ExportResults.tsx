// Xuất kết quả (Appendix VI 6h): every result of the search on screen, in its order and with the
// chosen columns, as a PDF or XLSX the host makes (documents.exportSearch), saved as the register
// books are.
import { useRef, useState, type FormEvent } from 'react';
import type { SearchSpec } from '../../../main/common/contract.js';
import { SEARCH_EXPORT_MAX_ROWS, type SearchColumnKey } from '../../../main/common/searchColumns.js';
import { call } from '../api/client.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n } from '../i18n/i18n.js';
import { saveBytes } from '../outgoing/download.js';

type Format = 'pdf' | 'xlsx';

export function ExportResults({ search, columns, onExported, onClose }: { search: SearchSpec; columns: readonly SearchColumnKey[]; onExported: (outcome: { rows: number; total: number }) => void; onClose: () => void }) {
  const { t, count } = useI18n();
  const [format, setFormat] = useState<Format>('pdf');
  const first = useRef<HTMLInputElement>(null);
  const request = useModalRequest(onClose);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (request.busy) return;
    await request.run(async () => {
      const { fileName, bytes, rows, total } = await call('documents.exportSearch', { ...search, columns: [...columns], format });
      saveBytes(bytes, fileName);
      onExported({ rows, total });
    });
  }

  return (
    <ModalDialog
      className="export-results"
      testId="export-results"
      title={t('export.title')}
      lead={t('export.lead', { max: count(SEARCH_EXPORT_MAX_ROWS) })}
      request={request}
      onSubmit={submit}
      initialFocus={first}
      submit={{ label: t('export.submit'), testId: 'export-submit' }}
    >
      <fieldset className="export-formats" disabled={request.busy}>
        <legend className="visually-hidden">{t('export.format')}</legend>
        {(['pdf', 'xlsx'] as const).map((value) => (
          <label key={value}>
            <input ref={value === 'pdf' ? first : undefined} type="radio" name="export-format" value={value} data-testid={`export-format-${value}`} checked={format === value} onChange={() => setFormat(value)} />
            {t(`export.${value}`)}
          </label>
        ))}
      </fieldset>
    </ModalDialog>
  );
}
