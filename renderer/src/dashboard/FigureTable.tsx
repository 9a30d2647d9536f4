// Every figure of the report, labelled and formatted by REPORT_TABLE exactly as the XLSX and PDF
// print them. A figure with a list opens it; the queue's figures open the exchange view.
import type { ReactElement } from 'react';
import { REPORT_TABLE, type ReportFigures, type ReportListKey } from '../../../main/common/report.js';
import { useI18n } from '../i18n/i18n.js';

interface FigureTableProps {
  figures: ReportFigures;
  onList: (key: ReportListKey) => void;
  onOpenExchange: () => void;
}

export function FigureTable({ figures, onList, onOpenExchange }: FigureTableProps) {
  const { t, locale } = useI18n();
  const rows: ReactElement[] = [];
  let section = 0;
  REPORT_TABLE.forEach((row, index) => {
    const label = row[locale];
    if (row.section) {
      section++;
      rows.push(
        <tr key={index} className="figure-section">
          <th scope="colgroup" colSpan={2} id={`figure-section-${section}`}>
            {label}
          </th>
        </tr>,
      );
      return;
    }
    const value = row.value?.(figures, locale) ?? '';
    const open = row.listKey ? () => onList(row.listKey!) : row.opensExchange ? onOpenExchange : null;
    rows.push(
      <tr key={index} data-testid="figure-row" data-key={row.listKey} data-label={row.vi}>
        <th scope="row">{label}</th>
        <td className="figure-value" data-testid="figure-value">
          {open ? (
            <button type="button" className="link-button figure-link" title={row.listKey ? t('dashboard.openList', { label }) : t('dashboard.openExchange')} onClick={open}>
              {value}
            </button>
          ) : (
            value
          )}
        </td>
      </tr>,
    );
  });

  return (
    <section className="dashboard-card dashboard-figures" aria-labelledby="dashboard-figures-title">
      <h3 id="dashboard-figures-title" className="dashboard-card-title">
        {t('dashboard.figures')}
      </h3>
      <table className="figure-table" data-testid="figure-table">
        <thead className="visually-hidden">
          <tr>
            <th scope="col">{t('dashboard.figure.name')}</th>
            <th scope="col">{t('dashboard.figure.value')}</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </section>
  );
}
