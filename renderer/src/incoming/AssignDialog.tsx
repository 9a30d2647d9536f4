// Giao xử lý: a person or unit from the agency's own directory (added here when missing), the
// hạn giải quyết typed as dd/MM/yyyy, and a note. The sender receives status 04.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Handler, IncomingDetail } from '../../../main/common/contract.js';
import { vnDate } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { DateField } from '../components/DateField.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

interface AssignDialogProps {
  detail: IncomingDetail;
  onAssigned: (detail: IncomingDetail) => void;
  onClose: () => void;
}

export function AssignDialog({ detail, onAssigned, onClose }: AssignDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const picker = useRef<HTMLSelectElement>(null);
  const [handlers, setHandlers] = useState<Handler[] | null>(null);
  const [handlerId, setHandlerId] = useState<number | null>(detail.handler?.id ?? null);
  const [due, setDue] = useState<string | null>(detail.handlingDue);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'handler' | 'due', MessageKey>>>({});
  const request = useModalRequest(onClose);
  const { busy, setFailure } = request;
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    call('handlers.list', {}).then((list) => {
      setHandlers(list);
      if (list.length === 0) setAdding(true);
    }, setFailure);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found: typeof errors = {};
    if (handlerId === null) found.handler = 'incoming.handlerRequired';
    if (!due) found.due = 'incoming.dueRequired';
    setErrors(found);
    if (Object.keys(found).length || handlerId === null || !due) return;
    await request.run(async () => onAssigned(await call('incoming.assign', { id: detail.id, handlerId, due, note: note.trim() })));
  }

  const pastDue = due !== null && due < vnDate();

  return (
    <ModalDialog
      className="assign-dialog"
      testId="assign-dialog"
      title={t('incoming.assignTitle')}
      lead={t('incoming.assignLead')}
      request={request}
      onSubmit={submit}
      errorTestId="assign-error"
      submit={{ label: t('incoming.assign'), testId: 'assign-submit', disabled: busy || !handlers }}
    >
      <div className="field">
        <label htmlFor={`${id}-handler`}>{t('incoming.handler')}</label>
        <div className="assign-handler-row">
          <select
            ref={picker}
            id={`${id}-handler`}
            data-testid="assign-handler"
            value={handlerId ?? ''}
            disabled={!handlers || busy}
            aria-invalid={errors.handler ? true : undefined}
            onChange={(e) => {
              setHandlerId(e.target.value ? Number(e.target.value) : null);
              setErrors((current) => ({ ...current, handler: undefined }));
            }}
          >
            <option value="">{t('incoming.handlerChoose')}</option>
            {handlers?.map((h) => (
              <option key={h.id} value={h.id}>
                {h.unit ? `${h.name} — ${h.unit}` : h.name}
                {h.kind === 'unit' ? ` (${t('incoming.handlerKind.unit')})` : ''}
              </option>
            ))}
          </select>
          {!adding && (
            <button type="button" className="button button-small" data-testid="assign-add-handler" disabled={busy} onClick={() => setAdding(true)}>
              <span className="icon-plus" aria-hidden="true" />
              {t('incoming.handlerAdd')}
            </button>
          )}
        </div>
        {errors.handler && <span className="field-error">{t(errors.handler)}</span>}
        {handlers?.length === 0 && <span className="field-hint">{t('incoming.handlerNone')}</span>}
      </div>
      {adding && (
        <AddHandler
          disabled={busy}
          onAdded={(handler) => {
            setHandlers((list) => [...(list ?? []), handler].sort((a, b) => a.name.localeCompare(b.name, 'vi')));
            setHandlerId(handler.id);
            setErrors((current) => ({ ...current, handler: undefined }));
            setAdding(false);
            requestAnimationFrame(() => picker.current?.focus());
          }}
          onCancel={handlers && handlers.length > 0 ? () => setAdding(false) : undefined}
        />
      )}
      <div className="assign-due" data-testid="assign-due">
        <DateField
          id={`${id}-due`}
          label={t('incoming.due')}
          value={due}
          onChange={(value) => {
            setDue(value);
            setErrors((current) => ({ ...current, due: undefined }));
          }}
        />
        {errors.due && <span className="field-error">{t(errors.due)}</span>}
        {!errors.due && pastDue && <span className="field-hint is-warning">{t('incoming.duePast')}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('incoming.note')}</label>
        <textarea id={`${id}-note`} data-testid="assign-note" rows={2} maxLength={500} value={note} disabled={busy} onChange={(e) => setNote(e.target.value)} />
      </div>
    </ModalDialog>
  );
}

/** Thêm người xử lý, inside the assign dialog: a name, the unit, person or unit. Not a nested form. */
function AddHandler({ disabled, onAdded, onCancel }: { disabled: boolean; onAdded: (handler: Handler) => void; onCancel?: () => void }) {
  const { t, errorMessage } = useI18n();
  const id = useId();
  const nameField = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [kind, setKind] = useState<Handler['kind']>('person');
  const [missing, setMissing] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => nameField.current?.focus(), []);

  async function add() {
    if (busy) return;
    if (!name.trim()) {
      setMissing(true);
      nameField.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onAdded(await call('handlers.add', { name: name.trim(), unit: unit.trim(), kind }));
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  const off = disabled || busy;
  return (
    <fieldset className="add-handler" data-testid="add-handler">
      <legend>{t('incoming.handlerAdd')}</legend>
      <div className="add-handler-fields">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('incoming.handlerName')}</label>
          <input
            ref={nameField}
            id={`${id}-name`}
            data-testid="handler-name"
            value={name}
            maxLength={200}
            disabled={off}
            aria-invalid={missing || undefined}
            onChange={(e) => {
              setName(e.target.value);
              setMissing(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
            }}
          />
          {missing && <span className="field-error">{t('incoming.handlerNameRequired')}</span>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-unit`}>{t('incoming.handlerUnit')}</label>
          <input id={`${id}-unit`} data-testid="handler-unit" value={unit} maxLength={200} disabled={off} onChange={(e) => setUnit(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('incoming.handlerKind')}</label>
          <select id={`${id}-kind`} data-testid="handler-kind" value={kind} disabled={off} onChange={(e) => setKind(e.target.value as Handler['kind'])}>
            <option value="person">{t('incoming.handlerKind.person')}</option>
            <option value="unit">{t('incoming.handlerKind.unit')}</option>
          </select>
        </div>
      </div>
      {failure !== null && (
        <p className="form-error" role="alert">
          {errorMessage(failure)}
        </p>
      )}
      <div className="add-handler-actions">
        {onCancel && (
          <button type="button" className="button button-small button-quiet" disabled={off} onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="button" className="button button-small" data-testid="handler-save" disabled={off} onClick={() => void add()}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('incoming.handlerSave')}
        </button>
      </div>
    </fieldset>
  );
}
