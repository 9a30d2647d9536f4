// The names of the API methods and events, apart from their schemas so that the preload can
// list them without bundling zod. contract.ts must define exactly these (checked by the compiler).

/**
 * The API methods, by the group of handlers that serves them. The groups other than `registry`
 * and `exchange` load on their first call (core/api/methodGroups.ts): a window that only lists
 * documents, or a command that only searches, never loads pdf-lib, exceljs or a token module.
 */
export const METHODS_BY_GROUP = {
  registry: [
    'app.info',
    'agency.get',
    'agency.update',
    'settings.get',
    'settings.update',
    'registers.list',
    'documents.list',
    'documents.search',
    'searches.list',
    'searches.save',
    'searches.remove',
    'audit.verify',
    'documents.get',
    'documents.update',
    'documents.files',
    'documents.content',
    'documents.showInFolder',
    'documents.import',
  ],
  signing: [
    'documents.sign',
    'signing.cancel',
    'signing.requests',
    'signing.respond',
    'signers.list',
    'tokens.list',
    'tokens.addModule',
    'tokens.removeModule',
    'tokens.login',
    'tokens.logout',
    'tokens.images',
    'tokens.setImage',
    'tokens.clearImage',
  ],
  outgoing: [
    'outgoing.create',
    'outgoing.get',
    'outgoing.updateDraft',
    'outgoing.markPlaces',
    'outgoing.findPlaces',
    'outgoing.number',
    'outgoing.issue',
    'outgoing.afterIssue',
    'outgoing.book',
    'outgoing.exportBook',
  ],
  exchange: [
    'exchange.status',
    'exchange.queue',
    'exchange.syncNow',
    'exchange.retry',
    'exchange.networkChanged',
    'exchange.received',
    'exchange.deliveries',
    'exchange.getAxis',
    'exchange.setAxis',
    'exchange.agencies',
  ],
  incoming: [
    'incoming.list',
    'incoming.counts',
    'incoming.get',
    'incoming.accept',
    'incoming.duplicates',
    'incoming.linkDuplicate',
    'incoming.return',
    'incoming.register',
    'incoming.readRecord',
    'incoming.assign',
    'incoming.start',
    'incoming.done',
    'incoming.answerRecall',
    'incoming.book',
    'incoming.exportBook',
    'handlers.list',
    'handlers.add',
    'handlers.update',
    'handlers.deactivate',
  ],
  report: ['report.figures', 'report.list', 'report.export', 'documents.exportSearch'],
  validation: ['documents.validate', 'trust.list', 'trust.import', 'trust.remove'],
  accounts: ['office.info', 'users.list', 'users.add', 'users.update', 'users.setPassword', 'users.bindCertificate', 'users.sessions', 'users.signOutEverywhere'],
} as const;
export type MethodGroup = keyof typeof METHODS_BY_GROUP;
export type MethodName = (typeof METHODS_BY_GROUP)[MethodGroup][number];
export const METHOD_NAMES: readonly MethodName[] = Object.values(METHODS_BY_GROUP).flat();

export const EVENT_NAMES = ['documents.changed', 'token.changed', 'signing.progress', 'signing.waiting', 'exchange.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const IPC_CHANNEL_PREFIX = 'eoffice:';
export const IPC_EVENT_CHANNEL = 'eoffice:event';
