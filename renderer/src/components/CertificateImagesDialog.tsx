// Ảnh chữ ký và con dấu of one certificate: the handwritten signature drawn when its holder signs
// as the competent person, the seal drawn when it signs as the agency. Shown on a checkerboard so
// that a transparent background (which a good scan has) is seen as such.
import { useEffect, useRef, useState } from 'react';
import type { ImageKind, Output, TokenCertificateInfo } from '../../../main/common/contract.js';
import { ApiError, call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

const KINDS: readonly ImageKind[] = ['signature', 'seal'];
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

type Images = Output<'tokens.images'>;

export function CertificateImagesDialog({ certificate, onClose }: { certificate: TokenCertificateInfo; onClose: () => void }) {
  const { t, errorMessage } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [images, setImages] = useState<Images | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<ImageKind | null>(null);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  useEffect(() => {
    call('tokens.images', { fingerprint256: certificate.fingerprint256 }).then(setImages, setError);
  }, [certificate.fingerprint256]);

  async function upload(kind: ImageKind, file: File) {
    setError(null);
    if (file.size > MAX_IMAGE_BYTES) {
      setError(new ApiError('FILE_TOO_LARGE', 'The image is too large.', { fileName: file.name, limitMb: MAX_IMAGE_BYTES / 1048576 }));
      return;
    }
    setBusy(kind);
    try {
      const png = new Uint8Array(await file.arrayBuffer());
      setImages(await call('tokens.setImage', { fingerprint256: certificate.fingerprint256, kind, png }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  async function clear(kind: ImageKind) {
    setError(null);
    setBusy(kind);
    try {
      setImages(await call('tokens.clearImage', { fingerprint256: certificate.fingerprint256, kind }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  return (
    <dialog
      ref={dialog}
      className="modal images-dialog"
      aria-labelledby="images-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="images-title" className="modal-title">
        {t('images.title')}
      </h2>
      <p className="modal-lead">{t('images.lead', { name: certificate.subjectCommonName ?? certificate.subject })}</p>
      <div className="image-slots">
        {KINDS.map((kind) => (
          <ImageSlot
            key={kind}
            kind={kind}
            png={images?.[kind] ?? null}
            loading={images === null && error === null}
            busy={busy === kind}
            onUpload={(file) => upload(kind, file)}
            onClear={() => clear(kind)}
          />
        ))}
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {errorMessage(error, { fileName: 'PNG' })}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </dialog>
  );
}

function ImageSlot({
  kind,
  png,
  loading,
  busy,
  onUpload,
  onClear,
}: {
  kind: ImageKind;
  png: Uint8Array | null;
  loading: boolean;
  busy: boolean;
  onUpload: (file: File) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!png) return setUrl(null);
    const next = URL.createObjectURL(new Blob([new Uint8Array(png)], { type: 'image/png' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [png]);
  const titleId = `image-slot-${kind}`;
  return (
    <section className="image-slot" aria-labelledby={titleId}>
      <h3 id={titleId} className="section-title">
        {t(`images.${kind}`)}
      </h3>
      <p className="field-hint">{t(`images.${kind}Hint`)}</p>
      <div className="image-preview checkerboard" aria-busy={loading || busy}>
        {url ? <img src={url} alt={t(`images.${kind}Alt`)} /> : <span className="muted">{loading ? t('images.loading') : t('images.none')}</span>}
      </div>
      <div className="form-actions">
        <button type="button" className="button button-small" onClick={() => input.current?.click()} disabled={busy}>
          {png ? t('images.replace') : t('images.choose')}
        </button>
        {png && (
          <button type="button" className="button button-small button-quiet" onClick={onClear} disabled={busy}>
            {t('images.clear')}
          </button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/png,.png"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={t(`images.${kind}`)}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onUpload(file);
        }}
      />
    </section>
  );
}
