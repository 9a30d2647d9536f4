// Kết nối trục liên thông: the axis's address, this agency's system id and secret, and how often
// to look for new documents. The secret is written only: the core seals it and never gives it
// back, so the field stays empty and says "đã lưu"; left empty, the stored one is kept.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { call } from '../api/client.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import './exchange.css';

interface Form {
  endpoint: string;
  systemId: string;
  secret: string;
  secretSet: boolean;
  interval: string;
}

type Field = 'endpoint' | 'systemId' | 'secret' | 'interval';

const MIN_INTERVAL = 15;
const MAX_INTERVAL = 3600;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function AxisDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const firstField = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, MessageKey>>>({});
  const request = useModalRequest(onClose);
  const { busy, setFailure } = request;

  useEffect(() => {
    Promise.all([call('exchange.getAxis', {}), call('settings.get', {})]).then(
      ([axis, settings]) => setForm({ endpoint: axis.endpoint, systemId: axis.systemId, secret: '', secretSet: axis.secretSet, interval: String(settings.syncIntervalSeconds) }),
      setFailure,
    );
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!form || busy) return;
    const endpoint = form.endpoint.trim();
    const systemId = form.systemId.trim();
    const secret = form.secret;
    const interval = Number(form.interval);
    const found: typeof errors = {};
    if (endpoint && !isHttpUrl(endpoint)) found.endpoint = 'axis.error.endpoint';
    if (endpoint && !systemId) found.systemId = 'axis.error.systemId';
    if (endpoint && !secret && !form.secretSet) found.secret = 'axis.error.secret';
    if (!Number.isInteger(interval) || interval < MIN_INTERVAL || interval > MAX_INTERVAL) found.interval = 'axis.error.interval';
    setErrors(found);
    if (Object.keys(found).length) return;
    await request.run(async () => {
      const saved = await call('exchange.setAxis', { endpoint, systemId, ...(secret ? { secret } : {}) });
      await call('settings.update', { syncIntervalSeconds: interval });
      // A pass at once tells the clerk whether the new settings work, instead of at the next interval.
      if (saved.endpoint && saved.systemId && saved.secretSet) call('exchange.syncNow', {}).catch(() => undefined);
    });
  }

  const hint = (field: Field, fallback: MessageKey) => (
    <span id={`${id}-${field}-hint`} className={errors[field] ? 'field-error' : 'field-hint'}>
      {t(errors[field] ?? fallback)}
    </span>
  );
  const disabled = !form || busy;

  return (
    <ModalDialog
      className="axis-dialog"
      testId="axis-dialog"
      title={t('axis.title')}
      lead={t('axis.lead')}
      request={request}
      onSubmit={submit}
      initialFocus={firstField}
      ready={form !== null}
      errorTestId="axis-error"
      submit={{ label: t('axis.save'), testId: 'axis-save', disabled }}
    >
      <div className="field">
        <label htmlFor={`${id}-endpoint`}>{t('axis.endpoint')}</label>
        <input
          ref={firstField}
          id={`${id}-endpoint`}
          type="url"
          data-testid="axis-endpoint"
          value={form?.endpoint ?? ''}
          maxLength={500}
          placeholder={t('axis.endpointPlaceholder')}
          spellCheck={false}
          disabled={disabled}
          aria-invalid={errors.endpoint ? true : undefined}
          aria-describedby={`${id}-endpoint-hint`}
          onChange={(e) => form && setForm({ ...form, endpoint: e.target.value })}
        />
        {hint('endpoint', 'axis.endpointHint')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-systemId`}>{t('axis.systemId')}</label>
        <input
          id={`${id}-systemId`}
          data-testid="axis-system-id"
          value={form?.systemId ?? ''}
          maxLength={128}
          spellCheck={false}
          autoComplete="off"
          disabled={disabled}
          aria-invalid={errors.systemId ? true : undefined}
          aria-describedby={`${id}-systemId-hint`}
          onChange={(e) => form && setForm({ ...form, systemId: e.target.value })}
        />
        {hint('systemId', 'axis.systemIdHint')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`} className="axis-secret-label">
          {t('axis.secret')}
          {form?.secretSet && (
            <span className="saved-tag" data-testid="axis-secret-saved">
              {t('axis.secretSaved')}
            </span>
          )}
        </label>
        <input
          id={`${id}-secret`}
          type="password"
          data-testid="axis-secret"
          value={form?.secret ?? ''}
          maxLength={512}
          autoComplete="new-password"
          placeholder={form?.secretSet ? t('axis.secretKeepPlaceholder') : ''}
          disabled={disabled}
          aria-invalid={errors.secret ? true : undefined}
          aria-describedby={`${id}-secret-hint`}
          onChange={(e) => form && setForm({ ...form, secret: e.target.value })}
        />
        {hint('secret', form?.secretSet ? 'axis.secretHintSaved' : 'axis.secretHint')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-interval`}>{t('axis.interval')}</label>
        <input
          id={`${id}-interval`}
          type="number"
          inputMode="numeric"
          className="axis-interval"
          data-testid="axis-interval"
          value={form?.interval ?? ''}
          min={MIN_INTERVAL}
          max={MAX_INTERVAL}
          step={1}
          disabled={disabled}
          aria-invalid={errors.interval ? true : undefined}
          aria-describedby={`${id}-interval-hint`}
          onChange={(e) => form && setForm({ ...form, interval: e.target.value })}
        />
        {hint('interval', 'axis.intervalHint')}
      </div>
    </ModalDialog>
  );
}
