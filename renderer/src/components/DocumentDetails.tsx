import { useState, type ReactNode } from 'react';
import type { DocumentDetail } from '../../../main/common/contract.js';
import type { CaptureField } from '../../../main/common/capture.js';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { CapturedValue, useTypeLabel } from '../incoming/CapturedValue.js';
import { formatIncomingNumber } from '../incoming/incomingTerms.js';

/**
 * A document's data. An incoming one shows the register's số đến and ngày đến apart from the
 * sender's own number and notation, the handling due date and notes, and marks what eOffice read
 * off the file (a guess until tiếp nhận) or could not (to fill in).
 */
export function DocumentDetails({ detail, agencyName = '' }: { detail: DocumentDetail; agencyName?: string }) {
  const { t, typeName, count, fileSize } = useI18n();
  const typeLabel = useTypeLabel();
  const none = t('common.none');
  const { incoming } = detail;
  const captured = (field: CaptureField, value: ReactNode) => (
    <CapturedValue field={field} capture={detail.capture} values={detail}>
      {value}
    </CapturedValue>
  );
  const signer = [detail.signerCompetence, detail.signerName].filter(Boolean).join(' ') || none;
  const fileRows: Array<[MessageKey, ReactNode]> = [
    ['field.fileName', detail.fileName ?? none],
    ['field.pageCount', detail.pageCount === null ? none : count(detail.pageCount)],
    ['field.fileSize', detail.fileSize === null ? none : fileSize(detail.fileSize)],
  ];
  const fields: Array<[MessageKey, ReactNode]> = incoming
    ? [
        ['field.incomingNumber', incoming.incomingNumber === null ? <span className="muted">{t('incoming.notRegistered')}</span> : formatIncomingNumber(incoming.incomingNumber)],
        ['field.arrivedAt', formatDateTimeVn(detail.registeredAt)],
        ['field.acceptedAt', formatDateTimeVn(incoming.acceptedAt) || none],
        ['field.senderNumber', detail.number ?? none],
        ['field.notation', captured('notation', detail.notation || none)],
        ['field.documentDate', captured('documentDate', formatDateVn(detail.documentDate) || none)],
        ['field.type', captured('typeCode', typeLabel(detail.typeCode, detail.capture))],
        ['field.authorAgency', captured('authorAgency', detail.authorAgency || none)],
        ['field.signerName', detail.signerName ? captured('signerName', signer) : none],
        ['field.signerPosition', detail.signerPosition || none],
        ['field.receivedVia', t(`incoming.source.${incoming.receivedVia}`)],
        ['field.priority', t(`priority.${detail.priority}`)],
        ['field.state', t(`state.${detail.state}`)],
        ['field.handler', incoming.handler ?? none],
        ['field.handlingDue', formatDateVn(incoming.handlingDue) || none],
        // The deadline the sender wrote in its package, when it wrote one.
        ...(detail.dueDate ? [['field.senderDue', formatDateVn(detail.dueDate)] as [MessageKey, ReactNode]] : []),
        ...fileRows,
      ]
    : [
        // Số đi as the register writes it: 01, 02 … 10.
        ['field.numberOut', detail.number === null ? none : formatIncomingNumber(detail.number)],
        ['field.notation', detail.notation || none],
        ['field.documentDate', formatDateVn(detail.documentDate) || none],
        ['field.registeredAt', formatDateTimeVn(detail.registeredAt)],
        ['field.type', typeName(detail.typeCode)],
        // An outgoing document is this agency's own: its name, not a dash.
        ['field.authorAgency', detail.authorAgency || agencyName || none],
        ['field.signerName', signer],
        ['field.signerPosition', detail.signerPosition || none],
        ['field.priority', t(`priority.${detail.priority}`)],
        ['field.state', t(`state.${detail.state}`)],
        ['field.dueDate', formatDateVn(detail.dueDate) || none],
        ...fileRows,
      ];
  const wide: Array<[MessageKey, ReactNode]> = [];
  // Mã định danh văn bản (Decree 30 Appendix VI 1c): ours from the number on, the sender's for what came over the axis.
  if (detail.identifierCode) wide.push(['field.identifierCode', <IdentifierCode code={detail.identifierCode} />]);
  if (incoming?.assignNote) wide.push(['field.assignNote', incoming.assignNote]);
  if (incoming?.doneNote) wide.push(['field.doneNote', incoming.doneNote]);
  if (detail.capture?.signedBy.length) {
    wide.push(['field.signedBy', detail.capture.signedBy.map((s) => (s.organization && s.organization !== s.name ? `${s.name} (${s.organization})` : s.name)).join('; ')]);
  }
  return (
    <>
      {/* Why "Sửa" is closed: the record is fixed once numbered, registered or recalled (Appendix VI 5d, 8a). */}
      {detail.lock && (
        <p className="notice record-lock-notice" role="note" data-testid="record-lock">
          {t(`lock.${detail.lock.reason}`)}
        </p>
      )}
      <dl className="detail-list">
        {fields.map(([label, value]) => (
          <div key={label} className="detail-item" data-field={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {wide.map(([label, value]) => (
          <div key={label} className="detail-item is-wide" data-field={label}>
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
                  <li key={i}>{withoutBullet(r)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </>
  );
}

/** The code as the package writes it, to be copied whole into another system or a reply. */
function IdentifierCode({ code }: { code: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <span className="identifier-code">
      <code data-testid="identifier-code">{code}</code>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          void navigator.clipboard.writeText(code).then(() => setCopied(true));
        }}
      >
        {t('pane.copyCode')}
      </button>
      {copied && (
        <span className="saved-notice" role="status">
          {t('pane.codeCopied')}
        </span>
      )}
    </span>
  );
}

/** "- Như Điều 3;" as printed on the draft: the list draws its own bullet, so the printed one goes. */
function withoutBullet(recipient: string): string {
  return recipient.replace(/^\s*[-–—+•*]\s*/u, '');
}
