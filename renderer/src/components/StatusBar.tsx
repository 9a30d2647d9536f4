import { useI18n } from '../i18n/i18n.js';

export function StatusBar({ version, dataDir }: { version: string; dataDir: string }) {
  const { t } = useI18n();
  return (
    <footer className="status-bar">
      <span>{t('app.version', { version })}</span>
      {/* Empty on the office host: a colleague is not told where the host keeps its data. */}
      {dataDir && (
        <span className="status-data-dir" title={dataDir}>
          {t('app.dataDir', { dataDir })}
        </span>
      )}
    </footer>
  );
}
