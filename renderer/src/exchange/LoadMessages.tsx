// The line a list from the exchange shows while it loads, when it could not load, and when it
// came back empty — the same three for the tables of the exchange view and the deliveries pane.
import { useI18n } from '../i18n/i18n.js';
import type { Loaded } from './useExchangeData.js';

/** `table`: centred under a table's head; `pane`: a plain line in a side pane's section. */
const CLASSES = {
  table: { message: 'list-message', error: 'list-message is-error' },
  pane: { message: 'muted', error: 'form-error' },
} as const;

interface LoadMessagesProps {
  loaded: Loaded<readonly unknown[]>;
  /** Said once the list has come with nothing in it. */
  empty: string;
  emptyTestId?: string;
  place: keyof typeof CLASSES;
}

export function LoadMessages({ loaded, empty, emptyTestId, place }: LoadMessagesProps) {
  const { t, errorMessage } = useI18n();
  const classes = CLASSES[place];
  switch (loaded.status) {
    case 'loading':
      return (
        <p className={classes.message} role="status">
          <span className="spinner" aria-hidden="true" /> {t('exchange.loading')}
        </p>
      );
    case 'failed':
      return (
        <p className={classes.error} role="alert">
          {errorMessage(loaded.error)}
        </p>
      );
    case 'ready':
      return loaded.data.length === 0 ? (
        <p className={classes.message} data-testid={emptyTestId}>
          {empty}
        </p>
      ) : null;
  }
}
