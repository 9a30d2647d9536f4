// "Tải về", "In" and "Mở thư mục" for one file of a document, with what happened said beside them:
// the print being prepared, where the copy went, or why it failed.
import { useState } from 'react';
import type { DocumentFile } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';
import { canShowInFolder, downloadFile, isPdf, printFile, showInFolder } from './fileActions.js';

type Action = 'download' | 'print' | 'folder';

interface FileActionsProps {
  documentId: number;
  /** The file, or null for the document's current file. */
  file: DocumentFile | null;
  /** Its name, for the buttons' labels. */
  name: string;
  /** Shows "Mở thư mục" too (where the shell has a file manager): the preview's bar, not every row. */
  withFolder?: boolean;
  testIdPrefix: string;
}

export function FileActions({ documentId, file, name, withFolder = false, testIdPrefix }: FileActionsProps) {
  const { t, errorMessage } = useI18n();
  const [busy, setBusy] = useState<Action | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const printable = file ? isPdf(file) : true;

  async function run(action: Action) {
    setBusy(action);
    setNotice(action === 'print' ? { text: t('files.preparingPrint'), error: false } : null);
    try {
      if (action === 'download') await downloadFile(documentId, file);
      else if (action === 'print') {
        await printFile(documentId, file);
        setNotice(null);
      } else setNotice({ text: t('files.savedCopy', { path: await showInFolder(documentId, file) }), error: false });
    } catch (error) {
      setNotice({ text: errorMessage(error), error: true });
    } finally {
      setBusy(null);
    }
  }

  return (
    <span className="file-actions">
      <button type="button" className="button button-small" data-testid={`${testIdPrefix}-download`} disabled={busy !== null} aria-label={t('files.downloadLabel', { name })} title={t('files.downloadLabel', { name })} onClick={() => void run('download')}>
        <span className="icon-download" aria-hidden="true" />
        {t('files.download')}
      </button>
      {printable && (
        <button type="button" className="button button-small" data-testid={`${testIdPrefix}-print`} disabled={busy !== null} aria-label={t('files.printLabel', { name })} title={t('files.printLabel', { name })} onClick={() => void run('print')}>
          {busy === 'print' && <span className="spinner" aria-hidden="true" />}
          <span className="icon-print" aria-hidden="true" />
          {t('files.print')}
        </button>
      )}
      {withFolder && canShowInFolder() && (
        <button type="button" className="button button-small" data-testid={`${testIdPrefix}-folder`} disabled={busy !== null} title={t('files.showInFolderLabel', { name })} onClick={() => void run('folder')}>
          {t('files.showInFolder')}
        </button>
      )}
      {notice && (
        <span className={notice.error ? 'file-notice is-error' : 'file-notice'} role={notice.error ? 'alert' : 'status'} data-testid={`${testIdPrefix}-notice`}>
          {notice.text}
        </span>
      )}
    </span>
  );
}
