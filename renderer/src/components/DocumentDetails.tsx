import type { ReactNode } from 'react';
import type { DocumentDetail } from '../../../main/common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

export function DocumentDetails({ detail }: { detail: DocumentDetail }) {
  const { t, typeName, count, fileSize } = useI18n();
  const none = t('common.none');
  const fields: Array<[MessageKey, ReactNode]> = [
    [detail.direction === 'in' ? 'field.numberIn' : 'field.numberOut', detail.number ?? none],
    ['field.notation', detail.notation || none],
    ['field.documentDate', formatDateVn(detail.documentDate) || none],
    ['field.registeredAt', formatDateTimeVn(detail.registeredAt)],
    ['field.type', typeName(detail.typeCode)],
    ['field.authorAgency', detail.authorAgency || none],
    ['field.signerName', [detail.signerCompetence, detail.signerName].filter(Boolean).join(' ') || none],
    ['field.signerPosition', detail.signerPosition || none],
    ['field.priority', t(`priority.${detail.priority}`)],
    ['field.state', t(`state.${detail.state}`)],
    ['field.dueDate', formatDateVn(detail.dueDate) || none],
    ['field.fileName', detail.fileName ?? none],
    ['field.pageCount', detail.pageCount === null ? none : count(detail.pageCount)],
    ['field.fileSize', detail.fileSize === null ? none : fileSize(detail.fileSize)],
  ];
  return (
    <dl className="detail-list">
      {fields.map(([label, value]) => (
        <div key={label} className="detail-item">
          <dt>{t(label)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <div className="detail-item is-wide">
        <dt>{t('field.recipients')}</dt>
        <dd>
          {detail.recipients.length === 0 ? (
            none
          ) : (
            <ul className="recipient-list">
              {detail.recipients.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}
