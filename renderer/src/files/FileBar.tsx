// Above the preview: which of the document's files it shows — the current one, an earlier version
// (the draft, the one the leader signed…) or an attachment — and what can be done with that file.
import { useId } from 'react';
import type { DocumentFile, DocumentFiles } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';
import { FileActions } from './FileActions.js';
import './files.css';

/** How a file is named in the lists: a version by its step (and time), an attachment by its number and name as sent. */
export function useFileLabel(): (file: DocumentFile) => string {
  const { t } = useI18n();
  return (file) => {
    if (file.kind === 'attachment') return t('files.attachmentOption', { index: file.index ?? '', name: file.fileName });
    const step = t(`files.step.${file.step as Exclude<DocumentFile['step'], 'attachment'>}`);
    return file.current ? t('files.current', { step }) : step;
  };
}

interface FileBarProps {
  documentId: number;
  files: DocumentFiles | null;
  /** The file shown, or null for the current one. */
  shown: DocumentFile | null;
  onShow(file: DocumentFile | null): void;
  /** The name the current file is saved under while the list is still loading. */
  currentName: string;
}

export function FileBar({ documentId, files, shown, onShow, currentName }: FileBarProps) {
  const { t } = useI18n();
  const id = useId();
  const label = useFileLabel();
  const current = files?.versions.find((v) => v.current) ?? null;
  const chosen = shown ?? current;
  const all = files ? [...files.versions, ...files.attachments] : [];
  return (
    <div className="file-bar" data-testid="file-bar" data-shown={chosen?.sha256}>
      {/* Said to screen readers; on screen the list speaks for itself, and the bar keeps to one row in a narrow pane. */}
      <label htmlFor={`${id}-file`} className="visually-hidden">
        {t('files.shown')}
      </label>
      <select
        id={`${id}-file`}
        className="file-choice"
        data-testid="file-choice"
        value={chosen?.sha256 ?? ''}
        disabled={!files}
        title={chosen ? `${label(chosen)} — ${chosen.fileName}` : currentName}
        onChange={(e) => {
          const next = all.find((f) => f.sha256 === e.target.value) ?? null;
          onShow(next && !next.current ? next : null);
        }}
      >
        {!files && <option value="">{currentName}</option>}
        {files && (
          <optgroup label={t('files.versions')}>
            {/* Newest first: the file as it stands now heads the list. */}
            {[...files.versions].reverse().map((v) => (
              <option key={v.sha256} value={v.sha256}>
                {label(v)}
              </option>
            ))}
          </optgroup>
        )}
        {files && files.attachments.length > 0 && (
          <optgroup label={t('files.attachments')}>
            {files.attachments.map((a) => (
              <option key={a.sha256} value={a.sha256}>
                {label(a)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <FileActions key={chosen?.sha256 ?? 'current'} documentId={documentId} file={chosen} name={chosen?.fileName ?? currentName} withFolder testIdPrefix="file" />
    </div>
  );
}
