// The exchange over the axis as the UI and the CLI call it (answering a received document is in
// incomingHandlers.ts).
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import type { ExchangeService } from '../exchange/service.js';
import { hasAxisSecret, writeAxisSecret } from '../exchange/axisSettings.js';
import { axisEndpointIssue } from '../axis/endpoint.js';
import { AppError } from '../../common/errors.js';
import { listDeliveries, listReceived } from '../exchange/views.js';
import { listAgencyDirectory } from '../exchange/agencies.js';

type ExchangeHandlers = GroupHandlers<'exchange'>;

export function createExchangeHandlers(core: CoreServices, exchange: ExchangeService): ExchangeHandlers {
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
    'exchange.agencies': () => listAgencyDirectory(core.db),
    'exchange.setAxis': ({ endpoint, systemId, secret }) => {
      const issue = endpoint ? axisEndpointIssue(endpoint) : null;
      if (issue) throw new AppError(issue.code, issue.message, { field: 'endpoint' });
      core.settings.update({ axisEndpoint: endpoint, axisSystemId: systemId });
      if (secret) writeAxisSecret(core.dataDir, core.secrets, secret);
      exchange.configurationChanged();
      return axisSettings();
    },
  };
}
