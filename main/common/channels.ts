// The names of the API methods and events, apart from their schemas so that the preload can
// list them without bundling zod. contract.ts must define exactly these (checked by the compiler).

export const METHOD_NAMES = [
  'app.info',
  'agency.get',
  'agency.update',
  'settings.get',
  'settings.update',
  'registers.list',
  'documents.list',
  'documents.search',
  'documents.get',
  'documents.update',
  'documents.content',
  'documents.import',
  'documents.sign',
  'signing.cancel',
  'tokens.list',
  'tokens.addModule',
  'tokens.removeModule',
  'tokens.login',
  'tokens.logout',
  'tokens.images',
  'tokens.setImage',
  'tokens.clearImage',
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
  'exchange.status',
  'exchange.queue',
  'exchange.syncNow',
  'exchange.retry',
  'exchange.networkChanged',
  'exchange.received',
  'exchange.deliveries',
  'exchange.getAxis',
  'exchange.setAxis',
  'incoming.accept',
  'incoming.return',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['documents.changed', 'token.changed', 'signing.progress', 'exchange.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const IPC_CHANNEL_PREFIX = 'eoffice:';
export const IPC_EVENT_CHANNEL = 'eoffice:event';
