// The exchange over the axis as the UI and the CLI call it.
import type { CoreServices } from '../app/core.js';
import type { Handlers } from './invoke.js';
import type { ExchangeService } from '../exchange/service.js';
import { hasAxisSecret, writeAxisSecret } from '../exchange/axisSettings.js';
import { listDeliveries, listReceived } from '../exchange/views.js';
import { acceptReceived, returnReceived } from '../exchange/replies.js';
import { getDocument } from '../registry/documents.js';

type ExchangeHandlers = Pick<
  Handlers,
  | 'exchange.status'
  | 'exchange.queue'
  | 'exchange.syncNow'
  | 'exchange.retry'
  | 'exchange.networkChanged'
  | 'exchange.received'
  | 'exchange.deliveries'
  | 'exchange.getAxis'
  | 'exchange.setAxis'
  | 'incoming.accept'
  | 'incoming.return'
>;

export function createExchangeHandlers(core: CoreServices, exchange: ExchangeService): ExchangeHandlers {
  const ctx = () => ({ db: core.db, blobs: core.blobs, actor: core.actor });
  const answered = (id: number) => {
    core.events.emit('documents.changed', { ids: [id] });
    core.events.emit('exchange.changed', exchange.status());
    return getDocument(core.db, id);
  };
  const axisSettings = () => {
    const s = core.settings.read();
    return { endpoint: s.axisEndpoint, systemId: s.axisSystemId, secretSet: hasAxisSecret(core.dataDir) };
  };
  return {
    'exchange.status': () => exchange.status(),
    'exchange.queue': ({ includeSent, limit }) => exchange.queue(includeSent, limit),
    'exchange.syncNow': ({ onlyDue }) => (onlyDue ? exchange.syncOnce() : exchange.sendNow()),
    'exchange.retry': ({ jobId }) => exchange.retry(jobId),
    'exchange.networkChanged': ({ online }) => exchange.networkChanged(online),
    'exchange.received': ({ limit, outcome }) => listReceived(core.db, limit, outcome),
    'exchange.deliveries': ({ documentId }) => listDeliveries(core.db, documentId),
    'exchange.getAxis': () => axisSettings(),
    'exchange.setAxis': ({ endpoint, systemId, secret }) => {
      core.settings.update({ axisEndpoint: endpoint, axisSystemId: systemId });
      if (secret) writeAxisSecret(core.dataDir, core.secrets, secret);
      exchange.configurationChanged();
      return axisSettings();
    },
    'incoming.accept': ({ id }) => {
      acceptReceived(ctx(), id);
      return answered(id);
    },
    'incoming.return': ({ id, reason }) => {
      returnReceived(ctx(), id, reason);
      return answered(id);
    },
  };
}
