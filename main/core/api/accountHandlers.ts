// The handlers for the office's accounts (issue 15): the administrator's list of users, adding
// and changing them, resetting a password, binding a sign-in certificate, who is connected.
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import { addUser, bindCertificate, findUser, listUsers, setPassword, updateUser } from '../accounts/users.js';
import { closeAllSessions, openSessions } from '../accounts/sessions.js';
import { AppError } from '../../common/errors.js';
import { fingerprintWords, keptHostCertificate } from '../office/hostCertificate.js';

export function createAccountHandlers(core: CoreServices): GroupHandlers<'accounts'> {
  const ctx = () => ({ db: core.db, actor: core.actor });
  return {
    'office.info': () => {
      const kept = keptHostCertificate(core.dataDir);
      return { hostCertificate: kept ? { fingerprint256: kept, words: fingerprintWords(kept) } : null };
    },
    'users.list': () => listUsers(core.db),
    'users.add': (input) => addUser(ctx(), input),
    'users.update': ({ login, patch }) => updateUser(ctx(), login, patch),
    'users.setPassword': ({ login, password }) => setPassword(ctx(), login, password),
    'users.bindCertificate': ({ login, fingerprint256 }) => bindCertificate(ctx(), login, fingerprint256),
    'users.sessions': () => openSessions(core.db),
    'users.signOutEverywhere': ({ login }) => {
      const user = findUser(core.db, login);
      if (!user) throw new AppError('USER_NOT_FOUND', `There is no account "${login}".`, { login });
      return { sessions: closeAllSessions(core.db, user, core.actor) };
    },
  };
}
