// Tệp của văn bản: every version of the document's file and every attachment, received or issued
// (Decree 30, Appendix VI 1b), with the names they were sent under, their sizes and — for a PDF
// attachment — whether its signatures hold, checked as the main file's are. Each can be viewed,
// downloaded and printed. Where the section has no preview beside it (the incoming panel), "Xem"
// opens the file under its row, with its signatures.
import { useEffect, useId, useState } from 'react';
import type { DocumentFile, DocumentFiles } from '../../../main/common/contract.js';
import type { ValidationStatus } from '../../../main/common/validation.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { PdfPreview } from '../components/PdfPreview.js';
import { SignaturePanel, StatusBadge } from '../validation/SignaturePanel.js';
import { FileActions } from './FileActions.js';
import { useFileLabel } from './FileBar.js';
import { isPdf } from './fileActions.js';
import { useDocumentFiles } from './useDocumentFiles.js';
import './files.css';

interface DocumentFilesSectionProps {
  documentId: number;
  /** The document's current file: a new one (signed, issued) lists the files again. */
  fileKey: string | null;
  /** Loaded by the pane already (its file bar uses them too); else the section loads them. */
  files?: DocumentFiles | null;
  /** The file the pane's preview shows (null: the current one). */
  shown?: DocumentFile | null;
  /** Shows a file in the pane's preview; without it, "Xem" opens the file in the section itself. */
  onShow?(file: DocumentFile | null): void;
}

export function DocumentFilesSection(props: DocumentFilesSectionProps) {
  return props.files === undefined ? <LoadingFiles {...props} /> : <FilesList {...props} files={props.files} />;
}

function LoadingFiles(props: DocumentFilesSectionProps) {
  const { files } = useDocumentFiles(props.documentId, props.fileKey);
  return <FilesList {...props} files={files} />;
}

function FilesList({ documentId, files, shown, onShow }: DocumentFilesSectionProps & { files: DocumentFiles | null }) {
  const { t, fileSize } = useI18n();
  const id = useId();
  const label = useFileLabel();
  // Without a preview beside the section, the file opened in it.
  const [opened, setOpened] = useState<DocumentFile | null>(null);
  const viewing = onShow ? (shown ?? null) : opened;
  const view = (file: DocumentFile) => {
    if (onShow) onShow(file.current ? null : file);
    else setOpened(opened?.sha256 === file.sha256 ? null : file);
  };

  const row = (file: DocumentFile) => (
    <li key={file.sha256} className={viewing?.sha256 === file.sha256 ? 'file-row is-shown' : 'file-row'} data-testid={file.kind === 'attachment' ? 'attachment-row' : 'version-row'} data-sha256={file.sha256}>
      <div className="file-row-head">
        <span className="file-row-name" data-testid="file-row-name">
          {file.kind === 'attachment' ? file.fileName : label(file)}
        </span>
        <span className="file-row-meta">
          {[file.kind === 'version' && file.at ? formatDateTimeVn(file.at) : null, file.signer ? t('files.signedBy', { signer: file.signer }) : null, fileSize(file.size)].filter(Boolean).join(' · ')}
        </span>
        {file.kind === 'attachment' && file.description && file.description !== file.fileName && <span className="file-row-description">{file.description}</span>}
        {file.kind === 'attachment' && isPdf(file) && <AttachmentSignatures documentId={documentId} file={file} />}
      </div>
      <div className="file-row-actions">
        {isPdf(file) && (
          <button type="button" className="button button-small button-quiet" data-testid="file-row-view" aria-pressed={viewing?.sha256 === file.sha256} aria-label={t('files.viewLabel', { name: file.fileName })} onClick={() => view(file)}>
            {t('files.view')}
          </button>
        )}
        <FileActions documentId={documentId} file={file} name={file.fileName} testIdPrefix="file-row" />
      </div>
      {!onShow && opened?.sha256 === file.sha256 && (
        <div className="file-row-preview">
          <PdfPreview documentId={documentId} sha256={file.sha256} />
          <SignaturePanel documentId={documentId} fileKey={file.sha256} sha256={file.sha256} compact />
        </div>
      )}
    </li>
  );

  return (
    <section className="pane-section files-section" aria-labelledby={`${id}-title`} data-testid="files-section">
      <h3 id={`${id}-title`} className="section-title">
        {t('files.title')}
      </h3>
      {!files ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" />
        </p>
      ) : (
        <>
          <h4 className="files-subtitle">{t('files.attachments')}</h4>
          {files.attachments.length === 0 ? (
            <p className="muted" data-testid="no-attachments">
              {t('files.noAttachments')}
            </p>
          ) : (
            <ul className="file-rows" data-testid="attachment-list">
              {files.attachments.map(row)}
            </ul>
          )}
          <h4 className="files-subtitle">{t('files.versions')}</h4>
          <ul className="file-rows" data-testid="version-list">
            {[...files.versions].reverse().map(row)}
          </ul>
        </>
      )}
    </section>
  );
}

/** An attachment's signatures at a glance, validated as the main file's are (online when the OS says there is a network). */
function AttachmentSignatures({ documentId, file }: { documentId: number; file: DocumentFile }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<ValidationStatus | 'checking' | 'unsigned' | 'failed'>('checking');
  useEffect(() => {
    let cancelled = false;
    setStatus('checking');
    call('documents.validate', { id: documentId, sha256: file.sha256, online: navigator.onLine !== false }).then(
      (report) => !cancelled && setStatus(report.signatures.length === 0 ? 'unsigned' : report.status),
      () => !cancelled && setStatus('failed'),
    );
    return () => {
      cancelled = true;
    };
  }, [documentId, file.sha256]);
  if (status === 'checking') return <span className="file-row-signature muted">{t('files.checking')}</span>;
  if (status === 'unsigned') return <span className="file-row-signature muted" data-testid="attachment-signature" data-status="unsigned">{t('files.unsigned')}</span>;
  if (status === 'failed') return <span className="file-row-signature muted" data-testid="attachment-signature" data-status="failed">{t('files.notChecked')}</span>;
  return (
    <span className="file-row-signature" data-testid="attachment-signature" data-status={status}>
      <StatusBadge status={status} />
    </span>
  );
}
