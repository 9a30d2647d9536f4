// Chứng thư tin cậy: the trusted root and intermediate certificates that signatures are judged
// against. The store ships empty — the app carries no certificate of its own — so the dialog
// says so plainly and who must fill it, and from where. Several files may be imported at once:
// each is its own call and gets its own line, a refused one saying why, and the rest go on.
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { TrustedCertificate } from '../../../main/common/validation.js';
import { formatDateVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { commonName } from '../../../main/common/distinguishedName.js';
import './validation.css';

const ACCEPT = '.pem,.cer,.crt,.der,.p7b,.p7c';

type Notice = { ok: true; text: string } | { ok: false; error: unknown };
type ImportResult = { fileName: string; imported: number } | { fileName: string; error: unknown };

/** `changed`: something was imported or removed, so what was checked before may read differently now. */
export function TrustDialog({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t, errorMessage, count } = useI18n();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<TrustedCertificate[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [results, setResults] = useState<ImportResult[] | null>(null);
  const [confirming, setConfirming] = useState<TrustedCertificate | null>(null);
  const changed = useRef(false);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  useEffect(() => {
    call('trust.list', {}).then(setList, setFailure);
  }, []);

  async function importFiles(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length === 0) return;
    setBusy(true);
    setNotice(null);
    setResults(null);
    const outcomes: ImportResult[] = [];
    for (const file of files) {
      try {
        const imported = await call('trust.import', { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
        changed.current = true;
        outcomes.push({ fileName: file.name, imported: imported.length });
      } catch (error) {
        outcomes.push({ fileName: file.name, error });
      }
    }
    setResults(outcomes);
    try {
      setList(await call('trust.list', {}));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  async function remove(certificate: TrustedCertificate) {
    setBusy(true);
    setNotice(null);
    setResults(null);
    try {
      setList(await call('trust.remove', { fingerprint256: certificate.fingerprint256 }));
      changed.current = true;
      setNotice({ ok: true, text: t('trust.removed', { subject: commonName(certificate.subject) }) });
    } catch (error) {
      setNotice({ ok: false, error });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  }

  const now = Date.now();
  return (
    <dialog
      ref={dialog}
      className="modal trust-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="trust-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose(changed.current);
      }}
    >
      <div className="trust-dialog-body">
        <h2 id={`${id}-title`} className="modal-title">
          {t('trust.title')}
        </h2>
        <p className="modal-lead">{t('trust.lead')}</p>
        <div className="trust-toolbar">
          <button type="button" className="button button-primary" data-testid="trust-import" disabled={busy} onClick={() => fileInput.current?.click()}>
            {busy && <span className="spinner spinner-on-primary" aria-hidden="true" />}
            {busy ? t('trust.importing') : t('trust.import')}
          </button>
          <input ref={fileInput} type="file" accept={ACCEPT} multiple hidden data-testid="trust-file" onChange={(e) => void importFiles(e)} />
          <span className="field-hint">{t('trust.importHint')}</span>
          <span className="toolbar-gap" />
          {list && <span className="muted" data-testid="trust-count">{t('trust.count', { count: count(list.length) })}</span>}
        </div>
        {results && (
          <ul className="trust-results" role="status" data-testid="trust-results">
            {results.map((result, index) =>
              'error' in result ? (
                <li key={index} className="trust-result is-refused" data-testid="trust-result" data-file={result.fileName} data-imported="false">
                  {t('trust.refused', { fileName: result.fileName, reason: errorMessage(result.error, { fileName: result.fileName }) })}
                </li>
              ) : (
                <li key={index} className="trust-result is-imported" data-testid="trust-result" data-file={result.fileName} data-imported="true">
                  {t('trust.imported', { count: count(result.imported), fileName: result.fileName })}
                </li>
              ),
            )}
          </ul>
        )}
        {notice && (
          <p className={notice.ok ? 'trust-notice' : 'form-error'} role={notice.ok ? 'status' : 'alert'} data-testid="trust-notice">
            {notice.ok ? notice.text : errorMessage(notice.error)}
          </p>
        )}
        {failure !== null && (
          <p className="form-error" role="alert">
            {errorMessage(failure)}
          </p>
        )}
        {list === null && failure === null && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {t('exchange.loading')}
          </p>
        )}
        {list?.length === 0 && (
          <div className="notice notice-warning trust-empty" data-testid="trust-empty">
            <strong>{t('trust.emptyTitle')}</strong>
            <p>{t('trust.empty')}</p>
          </div>
        )}
        {list && list.length > 0 && (
          <div className="trust-table-frame">
            <table className="trust-table" data-testid="trust-table">
              <thead>
                <tr>
                  <th scope="col">{t('trust.column.subject')}</th>
                  <th scope="col">{t('trust.column.issuer')}</th>
                  <th scope="col">{t('trust.column.validity')}</th>
                  <th scope="col">{t('trust.column.kind')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('trust.remove')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => {
                  const expired = new Date(c.notAfter).getTime() < now;
                  return (
                    <tr key={c.fingerprint256} data-testid="trust-row" data-fingerprint={c.fingerprint256}>
                      <td>
                        <div className="trust-subject" title={c.subject}>
                          {commonName(c.subject)}
                        </div>
                        <div className="technical-value trust-fingerprint" title={t('sig.fingerprint')}>
                          {c.fingerprint256}
                        </div>
                      </td>
                      <td title={c.issuer}>{commonName(c.issuer)}</td>
                      <td className={expired ? 'is-bad' : undefined}>
                        {t('trust.validity', { from: formatDateVn(c.notBefore.slice(0, 10)), to: formatDateVn(c.notAfter.slice(0, 10)) })}
                        {expired && <span className="sig-sub">{t('trust.expired')}</span>}
                      </td>
                      <td>
                        <span className={c.isRoot ? 'trust-kind is-root' : 'trust-kind'}>{t(c.isRoot ? 'trust.kind.root' : 'trust.kind.intermediate')}</span>
                      </td>
                      <td className="is-action">
                        {confirming?.fingerprint256 === c.fingerprint256 ? null : (
                          <button type="button" className="button button-small" data-testid="trust-remove" disabled={busy} onClick={() => setConfirming(c)}>
                            {t('trust.remove')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {confirming && (
          <div className="notice notice-warning trust-confirm" role="alertdialog" aria-label={t('trust.remove')} data-testid="trust-remove-confirm">
            <p>{t('trust.removeConfirm', { subject: commonName(confirming.subject) })}</p>
            <div className="modal-actions">
              <button type="button" className="button" disabled={busy} onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="button button-danger" data-testid="trust-remove-yes" disabled={busy} onClick={() => void remove(confirming)}>
                {t('trust.removeYes')}
              </button>
            </div>
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="button" data-testid="trust-close" disabled={busy} onClick={() => onClose(changed.current)}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
