import type { DocumentDetail } from '../../../main/common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import { commonName } from '../../../main/common/distinguishedName.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { statusMeaning } from '../exchange/exchangeTerms.js';

type AuditEvent = DocumentDetail['events'][number];

/** Labels for the fields an "updated" event lists, as named in DocumentPatch. */
const FIELD_LABELS: Record<string, MessageKey> = {
  typeCode: 'field.type',
  subject: 'field.subject',
  notation: 'field.notation',
  documentDate: 'field.documentDate',
  authorAgency: 'field.authorAgency',
  signerName: 'field.signerName',
  signerPosition: 'field.signerPosition',
  signerCompetence: 'field.signerCompetence',
  priority: 'field.priority',
  dueDate: 'field.dueDate',
  recipients: 'field.recipients',
  // Named too by a refused change (change-refused): the draft's fields and the files.
  recipientCodes: 'draft.recipientCodes',
  draftingUnit: 'draft.draftingUnit',
  confidential: 'draft.confidential',
  copies: 'draft.copies',
  archiveHolder: 'draft.archiveHolder',
  notes: 'draft.notes',
  files: 'files.title',
};

/** `events`: the whole history, which tells an import from a package received over the axis. */
function useEventText(events: readonly AuditEvent[]) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return (event: AuditEvent): string => {
    // Importing a file is not registering it: "vào sổ" is the số đến given at tiếp nhận.
    if (event.kind === 'created') return typeof event.details.fileName === 'string' && !events.some((e) => e.kind === 'received') ? t('event.createdFile', { fileName: event.details.fileName }) : t('event.created');
    if (event.kind === 'updated') {
      const fields = Object.keys(event.details).map((key) => {
        const label = FIELD_LABELS[key];
        return label ? t(label) : key;
      });
      return t('event.updated', { fields: fields.join(locale === 'vi' ? '; ' : ', ') });
    }
    if (event.kind === 'signed') {
      const role = event.details.role;
      const subject = typeof event.details.certificateSubject === 'string' ? event.details.certificateSubject : '';
      const signer = commonName(subject);
      if (role === 'signer' || role === 'agency' || role === 'attachment') return t('event.signed', { role: t(`sign.role.${role}`), signer });
      return t('event.signedInvisible', { signer });
    }
    const text = (key: string) => (typeof event.details[key] === 'string' ? (event.details[key] as string) : '');
    const signer = commonName(text('certificateSubject'));
    switch (event.kind) {
      case 'draft-details':
        return t('event.draftDetails');
      case 'places-marked':
        return t('event.placesMarked');
      case 'numbered':
        return t('event.numbered', { notation: text('notation') });
      case 'agency-signed':
        return t('event.agencySigned', { signer });
      case 'queued':
        return t('event.queued');
      case 'recalled':
        return t('event.recalled', { reason: text('reason') });
      case 'update-issued':
        return t('event.updateIssued', { reason: text('reason') });
      case 'replaced':
        return t('event.replaced', { reason: text('reason') });
      // Incoming documents: what arrived, the register, the handling, the sender's notices.
      case 'received':
        return t('event.received');
      case 'accepted':
        return t(event.details.source === 'paper' ? 'event.acceptedPaper' : 'event.accepted', { number: typeof event.details.incomingNumber === 'number' ? String(event.details.incomingNumber).padStart(2, '0') : '' });
      case 'returned':
        return t('event.returned', { reason: text('reason') || text('description') });
      case 'assigned':
        return t(text('note') ? 'event.assignedNote' : 'event.assigned', { handler: text('handlerName'), due: formatDateVn(text('due')), note: text('note') });
      case 'handling-started':
        return t('event.handlingStarted');
      case 'handled':
        return text('note') ? t('event.handledNote', { note: text('note') }) : t('event.handled');
      case 'recall-requested':
        return t('event.recallRequested', { reason: text('reason') });
      case 'recall-accepted':
        return t('event.recallAccepted', { reason: text('reason') });
      case 'recall-refused':
        return t('event.recallRefused', { reason: text('reason') });
      case 'update-notified':
        return t('event.updateNotified', { reason: text('reason') });
      case 'replacement-notified':
        return t('event.replacementNotified', { reason: text('reason') });
      case 'send-failed':
        return t('event.sendFailed', { error: text('error') });
      // What a status says, in words: its code is for the logs (and the exchange view's tooltips).
      case 'status-received':
        return t('event.statusReceived', { from: text('from'), meaning: statusMeaning(i18n, text('statusCode')) ?? text('description') });
      case 'status-sent':
        return t('event.statusSent', { meaning: statusMeaning(i18n, text('statusCode')) ?? text('statusCode') });
      case 'sent':
        return t('event.sent');
      // Trùng văn bản linked (registry/duplicates.ts): the other named as the clerk knows it, not by id.
      case 'duplicate-linked':
        return t('event.duplicateLinked', { document: [text('notation'), text('subject')].filter(Boolean).join(' — ') });
      // A change the record's lock refused (recordLock.ts), with the fields it would have changed.
      case 'change-refused': {
        const fields = Array.isArray(event.details.fields) ? (event.details.fields as string[]) : [];
        return t('event.changeRefused', { fields: fields.map((key) => (FIELD_LABELS[key] ? t(FIELD_LABELS[key]) : key)).join(locale === 'vi' ? '; ' : ', ') });
      }
    }
    // Kinds added by later versions still show, by their stored name.
    return event.kind;
  };
}

export function AuditTrail({ events }: { events: readonly AuditEvent[] }) {
  const { t } = useI18n();
  const describe = useEventText(events);
  return (
    <section className="pane-section" aria-labelledby="history-title">
      <h3 id="history-title" className="section-title">
        {t('pane.history')}
      </h3>
      {events.length === 0 ? (
        <p className="muted">{t('pane.historyEmpty')}</p>
      ) : (
        <ol className="audit-list">
          {[...events].reverse().map((event) => (
            <li key={event.id} className="audit-item">
              <time dateTime={event.at}>{formatDateTimeVn(event.at)}</time>
              <span className="audit-text">{describe(event)}</span>
              {event.actor && <span className="audit-actor">{t('event.actor', { actor: event.actor })}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
