// Who may call each API method on an office host (issue 15): declared here, once for the whole
// contract — the compiler refuses a method without its line — and checked in core/api/invoke.ts
// for every call that comes from a signed-in person, never in the renderer alone. This PC's own
// user (the desktop app, the loopback web host, the command line on the data folder) is the
// office's whole staff at once, as before accounts.
//
// 'signed-in': anyone with an account; a list: those holding one of the roles; 'this-pc': only on
// the PC itself, never for a remote caller (the tokens plugged into it, its file manager).
import type { MethodName } from './channels.js';
import type { Role } from './contract.js';

export type Access = 'signed-in' | 'this-pc' | readonly Role[];

const CLERK: readonly Role[] = ['van-thu'];
const ADMIN: readonly Role[] = ['quan-tri'];
/** Văn thư and lãnh đạo: the registers, the reports. */
const REGISTER_KEEPERS: readonly Role[] = ['van-thu', 'lanh-dao'];
/** Who drafts, and whose drafts: the specialist, the leader, the clerk. */
const DRAFTERS: readonly Role[] = ['chuyen-vien', 'lanh-dao', 'van-thu'];
/** The competent person signs, the clerk seals. */
const SIGNERS: readonly Role[] = ['lanh-dao', 'van-thu'];

export const METHOD_ACCESS: Record<MethodName, Access> = {
  'app.info': 'signed-in',
  'agency.get': 'signed-in',
  'agency.update': ADMIN,
  'settings.get': 'signed-in',
  'settings.update': ADMIN,
  'registers.list': 'signed-in',
  'documents.list': 'signed-in',
  'documents.search': 'signed-in',
  'searches.list': 'signed-in',
  'searches.save': 'signed-in',
  'searches.remove': 'signed-in',
  'audit.verify': ADMIN,
  'documents.get': 'signed-in',
  'documents.update': CLERK,
  'documents.files': 'signed-in',
  'documents.content': 'signed-in',
  'documents.showInFolder': 'this-pc',
  'documents.import': DRAFTERS,
  'documents.sign': SIGNERS,
  'signing.cancel': 'signed-in',
  'signing.requests': 'signed-in',
  'signing.respond': 'signed-in',
  'signers.list': 'signed-in',
  'tokens.list': 'this-pc',
  'tokens.addModule': 'this-pc',
  'tokens.removeModule': 'this-pc',
  'tokens.login': 'this-pc',
  'tokens.logout': 'this-pc',
  'tokens.images': 'signed-in',
  'tokens.setImage': [...SIGNERS, 'quan-tri'],
  'tokens.clearImage': [...SIGNERS, 'quan-tri'],
  'outgoing.create': DRAFTERS,
  'outgoing.get': 'signed-in',
  'outgoing.updateDraft': DRAFTERS,
  'outgoing.markPlaces': DRAFTERS,
  'outgoing.findPlaces': DRAFTERS,
  'outgoing.number': CLERK,
  'outgoing.issue': CLERK,
  'outgoing.afterIssue': CLERK,
  'outgoing.book': REGISTER_KEEPERS,
  'outgoing.exportBook': REGISTER_KEEPERS,
  'exchange.status': 'signed-in',
  'exchange.queue': 'signed-in',
  'exchange.syncNow': CLERK,
  'exchange.retry': CLERK,
  'exchange.networkChanged': 'this-pc',
  'exchange.received': 'signed-in',
  'exchange.deliveries': 'signed-in',
  'exchange.getAxis': [...CLERK, 'quan-tri'],
  'exchange.setAxis': ADMIN,
  'exchange.agencies': 'signed-in',
  'incoming.list': 'signed-in',
  'incoming.counts': 'signed-in',
  'incoming.get': 'signed-in',
  'incoming.accept': CLERK,
  'incoming.duplicates': 'signed-in',
  'incoming.linkDuplicate': CLERK,
  'incoming.return': CLERK,
  'incoming.register': CLERK,
  'incoming.readRecord': CLERK,
  'incoming.assign': REGISTER_KEEPERS,
  'incoming.start': 'signed-in',
  'incoming.done': 'signed-in',
  'incoming.answerRecall': CLERK,
  'incoming.book': REGISTER_KEEPERS,
  'incoming.exportBook': REGISTER_KEEPERS,
  'handlers.list': 'signed-in',
  'handlers.add': [...CLERK, 'quan-tri'],
  'handlers.update': [...CLERK, 'quan-tri'],
  'handlers.deactivate': [...CLERK, 'quan-tri'],
  // The dashboard's counts, everyone's start page; the documents behind them are the register keepers'.
  'report.figures': 'signed-in',
  'report.list': REGISTER_KEEPERS,
  'report.export': REGISTER_KEEPERS,
  'documents.exportSearch': 'signed-in',
  'documents.validate': 'signed-in',
  'trust.list': 'signed-in',
  'trust.import': ADMIN,
  'trust.remove': ADMIN,
  'office.info': 'signed-in',
  'users.list': ADMIN,
  'users.add': ADMIN,
  'users.update': ADMIN,
  'users.setPassword': ADMIN,
  'users.bindCertificate': ADMIN,
  'users.sessions': ADMIN,
  'users.signOutEverywhere': ADMIN,
};

/** A person calling from another PC (or a browser) through the office host. */
export interface RemoteCaller {
  login: string;
  roles: readonly Role[];
}

export function mayCall(method: MethodName, caller: RemoteCaller): boolean {
  const access = METHOD_ACCESS[method];
  if (access === 'signed-in') return true;
  if (access === 'this-pc') return false;
  return access.some((role) => caller.roles.includes(role));
}

/**
 * Whether a call would sign with a token plugged into the host itself: never for a remote caller,
 * whatever their role — the host's tokens are the person's at the host's desk. A remote caller
 * signs with a remote signer (their phone), or with the token on their own PC.
 */
export function signsWithHostToken(method: MethodName, input: unknown): boolean {
  if (method !== 'documents.sign' && method !== 'outgoing.issue') return false;
  return (input as { signer?: { kind?: string } } | null)?.signer?.kind === 'token';
}
