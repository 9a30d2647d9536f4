// The draft's file, chosen with the file dialog or dropped on the card: a PDF, or a Word/Writer
// file that the host turns into a PDF with LibreOffice. Then the attachments issued with it
// (phụ lục, PDFs), each removable before the draft is made.
import { useId, useRef, useState, type DragEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';

const DRAFT_FILE_ACCEPT = '.pdf,.docx,.odt,.doc,.rtf,application/pdf';
const DRAFT_FILE_NAME = /\.(pdf|docx|odt|doc|rtf)$/i;
const PDF_NAME = /\.pdf$/i;

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer.types.includes('Files');
}

/** Drop handlers for an element: `over` while files hover it. */
function useFileDrop(onFiles: (files: File[]) => void) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; only the outermost pair counts.
  const depth = useRef(0);
  const handlers = {
    onDragEnter: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    },
    onDragOver: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      onFiles([...e.dataTransfer.files]);
    },
  };
  return { over, handlers };
}

interface DraftFilePickerProps {
  file: File | null;
  onFile: (file: File | null) => void;
  attachments: readonly File[];
  onAttachments: (files: File[]) => void;
  error: string | null;
}

export function DraftFilePicker({ file, onFile, attachments, onAttachments, error }: DraftFilePickerProps) {
  const { t, fileSize } = useI18n();
  const id = useId();
  const mainInput = useRef<HTMLInputElement>(null);
  const attachmentInput = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<string | null>(null);

  function chooseMain(files: File[]) {
    const chosen = files[0];
    if (!chosen) return;
    if (!DRAFT_FILE_NAME.test(chosen.name)) {
      setRefused(t('draft.file.wrongType', { fileName: chosen.name }));
      return;
    }
    setRefused(null);
    onFile(chosen);
    // A second file dropped with the first is taken as an attachment rather than lost.
    addAttachments(files.slice(1));
  }

  function addAttachments(files: File[]) {
    const pdfs = files.filter((f) => PDF_NAME.test(f.name));
    const others = files.filter((f) => !PDF_NAME.test(f.name));
    setRefused(others.length ? t('draft.file.attachmentNotPdf', { fileName: others.map((f) => f.name).join(', ') }) : null);
    if (pdfs.length) onAttachments([...attachments, ...pdfs.filter((p) => !attachments.some((a) => a.name === p.name && a.size === p.size))]);
  }

  const mainDrop = useFileDrop(chooseMain);
  const attachmentDrop = useFileDrop(addAttachments);
  const problem = refused ?? error;

  return (
    <div className="draft-files">
      <div
        className={['draft-drop', mainDrop.over ? 'is-over' : '', file ? 'has-file' : '', problem ? 'is-invalid' : ''].filter(Boolean).join(' ')}
        data-testid="draft-drop"
        {...mainDrop.handlers}
      >
        <span className="draft-drop-icon" aria-hidden="true" />
        {file ? (
          <div className="draft-file-facts">
            <span className="draft-file-name" data-testid="draft-file-name">
              {file.name}
            </span>
            <span className="muted">
              {fileSize(file.size)}
              {PDF_NAME.test(file.name) ? '' : ` · ${t('draft.file.willConvert')}`}
            </span>
          </div>
        ) : (
          <div className="draft-file-facts">
            <span className="draft-drop-title">{t('draft.file.drop')}</span>
            <span className="muted">{t('draft.file.kinds')}</span>
          </div>
        )}
        <button type="button" className="button button-small" onClick={() => mainInput.current?.click()} aria-describedby={`${id}-problem`}>
          {file ? t('draft.file.replace') : t('draft.file.choose')}
        </button>
        <input
          ref={mainInput}
          type="file"
          accept={DRAFT_FILE_ACCEPT}
          className="visually-hidden"
          tabIndex={-1}
          data-testid="draft-file-input"
          aria-label={t('draft.file.inputLabel')}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            // Cleared so that choosing the same file again still fires a change.
            e.target.value = '';
            chooseMain(files);
          }}
        />
      </div>
      <span id={`${id}-problem`} className={problem ? 'field-error' : 'visually-hidden'} role={problem ? 'alert' : undefined}>
        {problem ?? ''}
      </span>

      <div className={attachmentDrop.over ? 'draft-attachments is-over' : 'draft-attachments'} {...attachmentDrop.handlers}>
        <div className="draft-attachments-head">
          <span className="section-title">{t('draft.attachments')}</span>
          <button type="button" className="button button-quiet button-small" onClick={() => attachmentInput.current?.click()}>
            <span className="icon-plus" aria-hidden="true" />
            {t('draft.attachments.add')}
          </button>
          <input
            ref={attachmentInput}
            type="file"
            multiple
            accept=".pdf,application/pdf"
            className="visually-hidden"
            tabIndex={-1}
            data-testid="draft-attachment-input"
            aria-label={t('draft.attachments.inputLabel')}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              addAttachments(files);
            }}
          />
        </div>
        {attachments.length === 0 ? (
          <p className="field-hint">{t('draft.attachments.none')}</p>
        ) : (
          <ul className="draft-attachment-list">
            {attachments.map((a) => (
              <li key={`${a.name}:${a.size}`}>
                <span className="draft-attachment-name">{a.name}</span>
                <span className="muted">{fileSize(a.size)}</span>
                <button
                  type="button"
                  className="icon-button icon-button-small"
                  aria-label={t('draft.attachments.remove', { fileName: a.name })}
                  title={t('draft.attachments.remove', { fileName: a.name })}
                  onClick={() => onAttachments(attachments.filter((x) => x !== a))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
