// The app's tokens: the PKCS#11 modules it has loaded, the tokens plugged in, and the sessions it
// holds after a login, so that a clerk enters the PIN once and then signs many documents.
//
// Nothing starts until the first call: the CLI and the tests that never touch a token load no
// module and poll nothing. Once started, the modules stay loaded and a watcher per module notices
// tokens coming and going; each change is reported through onChange with the whole overview.
//
// The PIN is an argument of login() and signingKey() and nothing more: it is never stored here.
import path from 'node:path';
import type { TokenOverview } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import { findModules, knownModulePaths, loadModule, type LoadedModule } from './modules.js';
import { tokenError, type Pkcs11Api } from './pkcs11.js';
import { openTokenSession, type LoginOptions, type TokenSelector, type TokenSession, type TokenSigningKey } from './session.js';
import { listTokens, presentTokens, TokenWatcher, type PresentToken, type TokenChange } from './tokens.js';

export interface TokenServiceOptions {
  /** The modules the user added by path (the tokenModules setting), read when the service starts. */
  userModules(): readonly string[];
  /** Called with the new overview whenever a token, a login or a PIN counter changed. */
  onChange(overview: TokenOverview): void;
  /** Wraps each module's binding; tests use it to inject faults a software token cannot produce. */
  wrapModule?: (api: Pkcs11Api, modulePath: string) => Pkcs11Api;
  /** Where CA middleware is looked for; knownModulePaths() by default. */
  knownModules?: readonly string[];
  /** How often each module is asked for its tokens. */
  pollIntervalMs?: number;
}

interface ModuleState {
  path: string;
  module: LoadedModule | null;
  api: Pkcs11Api | null;
  error: AppError | null;
  watcher: TokenWatcher | null;
}

interface HeldSession {
  module: ModuleState;
  token: PresentToken;
  session: TokenSession;
}

/** A token is one PKCS#11 token on one module: its label and serial. */
function tokenKey(modulePath: string, token: Pick<PresentToken, 'label' | 'serial'>): string {
  return `${modulePath}\u0000${token.label}\u0000${token.serial}`;
}

function matches(token: Pick<PresentToken, 'label' | 'serial'>, selector: TokenSelector): boolean {
  return token.label === selector.label && (selector.serial === undefined || token.serial === selector.serial);
}

/** Failures after which a held session cannot be used again. */
const SESSION_LOST = new Set<string>(['TOKEN_REMOVED', 'SESSION_CLOSED']);

function asAppError(error: unknown, doing: string): AppError {
  return error instanceof AppError ? error : tokenError(error, doing);
}

export class TokenService {
  private readonly options: TokenServiceOptions;
  private modules: ModuleState[] | null = null;
  private readonly sessions = new Map<string, HeldSession>();
  /** Logins and logouts one at a time: two at once on one token would open two sessions. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: TokenServiceOptions) {
    this.options = options;
  }

  /** The modules, the tokens plugged in and the certificates on them. Starts the service. */
  list(): TokenOverview {
    this.start();
    return this.overview();
  }

  /**
   * Loads a module the user pointed to, so that a wrong file is refused with the reason (a 32-bit
   * DLL, not a PKCS#11 library…) before it is saved in the settings.
   */
  addModule(modulePath: string): void {
    if (!path.isAbsolute(modulePath)) {
      throw new AppError('INVALID_INPUT', `Give the token module's full path, not "${modulePath}".`, { field: 'path' });
    }
    const modules = this.start();
    const existing = modules.find((m) => m.path === modulePath);
    if (existing?.module) return;
    const module = loadModule(modulePath);
    if (existing) modules.splice(modules.indexOf(existing), 1);
    this.adopt(module, modulePath);
    this.changed();
  }

  /** Unloads a module the user had added, unless eOffice would have found it by itself. */
  async removeModule(modulePath: string): Promise<void> {
    if (!this.modules) return;
    const state = this.modules.find((m) => m.path === modulePath);
    if (!state || findModules([], this.knownModules()).includes(modulePath)) return;
    this.modules.splice(this.modules.indexOf(state), 1);
    state.watcher?.stop();
    // Sessions end before the module goes: once it is finalised, nothing may call into it.
    const held = [...this.sessions].filter(([, h]) => h.module === state);
    for (const [key] of held) this.sessions.delete(key);
    await Promise.all(held.map(([, h]) => h.session.close()));
    this.unload(state);
    this.changed();
  }

  /**
   * Logs in to the token and keeps the session for signing. An existing login is reused. The
   * overview is reported afterwards either way: a wrong PIN moves the token's PIN counters.
   */
  login(selector: TokenSelector, pin: string, options: LoginOptions = {}): Promise<{ warning: 'PIN_COUNT_LOW' | null }> {
    return this.serialized(async () => {
      const { module, token } = this.findPresent(selector);
      const key = tokenKey(module.path, token);
      if (this.sessions.get(key)?.session.open) return { warning: null };
      const session = openTokenSession(module.api!, { label: token.label, serial: token.serial });
      try {
        const result = await session.login(pin, options);
        this.sessions.set(key, { module, token, session });
        return { warning: result.warning };
      } catch (error) {
        await session.close();
        throw error;
      } finally {
        this.changed();
      }
    });
  }

  /** Logs out and ends the session; logging out of a token not logged in does nothing. */
  logout(selector: TokenSelector): Promise<void> {
    return this.serialized(async () => {
      const held = [...this.sessions].filter(([, h]) => matches(h.token, selector));
      for (const [key, { session }] of held) {
        this.sessions.delete(key);
        try {
          await session.logout();
        } finally {
          await session.close();
        }
      }
      if (held.length > 0) this.changed();
    });
  }

  /**
   * The key of a certificate on a token logged in to. `pin` serves only keys that want the PIN
   * at every signature (CKA_ALWAYS_AUTHENTICATE); without it they fail with PIN_REQUIRED.
   */
  async signingKey(selector: TokenSelector, certificateId: string, pin?: string): Promise<TokenSigningKey> {
    this.start();
    const held = [...this.sessions.values()].filter((h) => matches(h.token, selector) && h.session.open);
    if (held.length > 1) {
      throw new AppError('TOKEN_AMBIGUOUS', `${held.length} tokens labelled “${selector.label}” are logged in; choose one by its serial number.`, { label: selector.label });
    }
    const [chosen] = held;
    if (!chosen) {
      this.findPresent(selector); // TOKEN_NOT_FOUND or TOKEN_AMBIGUOUS first, when that is the trouble
      throw new AppError('NOT_LOGGED_IN', `Log in to the token “${selector.label}” (enter its PIN) before signing.`, { label: selector.label });
    }
    const key = await chosen.session.signingKey(certificateId, { pinProvider: pin === undefined ? undefined : async () => pin });
    return {
      ...key,
      sign: async (data) => {
        try {
          return await key.sign(data);
        } catch (error) {
          // The token went away under the signature: its session, and the login, are gone with it.
          if (error instanceof AppError && SESSION_LOST.has(error.code)) this.forget(chosen);
          throw error;
        }
      },
    };
  }

  /**
   * Stops the watchers and unloads the modules. Finalising a module ends its sessions (and so its
   * logins) on the token.
   */
  close(): void {
    this.closed = true;
    this.sessions.clear();
    for (const state of this.modules ?? []) this.unload(state);
    this.modules = null;
  }

  private start(): ModuleState[] {
    if (this.closed) throw new AppError('SESSION_CLOSED', 'eOffice is closing; the tokens are no longer available.');
    if (this.modules) return this.modules;
    this.modules = [];
    // The user's own paths are listed even when the file is gone, so the overview can say so.
    const candidates = [...new Set([...findModules([], this.knownModules()), ...this.options.userModules()])];
    for (const modulePath of candidates) {
      try {
        this.adopt(loadModule(modulePath), modulePath);
      } catch (error) {
        this.modules.push({ path: modulePath, module: null, api: null, error: asAppError(error, 'loading the module'), watcher: null });
      }
    }
    return this.modules;
  }

  private knownModules(): readonly string[] {
    return this.options.knownModules ?? knownModulePaths();
  }

  /** Takes a loaded module into the service and watches it, unless it is one already held under another path. */
  private adopt(module: LoadedModule, modulePath: string): void {
    const modules = this.modules!;
    if (modules.some((m) => m.module === module)) {
      module.release();
      return;
    }
    const api = this.options.wrapModule ? this.options.wrapModule(module.pkcs11, modulePath) : module.pkcs11;
    const state: ModuleState = { path: modulePath, module, api, error: null, watcher: null };
    modules.push(state);
    state.watcher = new TokenWatcher(api, {
      intervalMs: this.options.pollIntervalMs,
      onChange: (change) => this.tokensChanged(state, change),
      onError: (error) => {
        const news = state.error === null;
        state.error = error;
        if (news) this.changed();
      },
    });
    // The first look reports every token present as new: that is the starting point, not a change.
    try {
      state.watcher.poll();
    } catch (error) {
      state.error = asAppError(error, 'looking for tokens');
    }
    state.watcher.start();
  }

  /** Stops watching and releases the module; finalising it ends any session still open on it. */
  private unload(state: ModuleState): void {
    state.watcher?.stop();
    for (const [key, held] of this.sessions) if (held.module === state) this.sessions.delete(key);
    state.module?.release();
  }

  private tokensChanged(state: ModuleState, change: TokenChange): void {
    state.error = null;
    // A token pulled out takes its login with it; its session is useless even if it comes back.
    for (const token of change.removed) {
      const held = this.sessions.get(tokenKey(state.path, token));
      if (held) this.forget(held, false);
    }
    this.changed();
  }

  private forget(held: HeldSession, report = true): void {
    const key = tokenKey(held.module.path, held.token);
    if (this.sessions.get(key) !== held) return;
    this.sessions.delete(key);
    void held.session.close();
    if (report) this.changed();
  }

  private changed(): void {
    if (this.closed || !this.modules) return;
    this.options.onChange(this.overview());
  }

  private overview(): TokenOverview {
    const modules = this.modules ?? [];
    const tokens: TokenOverview['tokens'] = [];
    for (const state of modules) {
      if (!state.api) continue;
      let listings;
      try {
        listings = listTokens(state.api);
      } catch (error) {
        state.error = asAppError(error, 'listing tokens');
        continue;
      }
      for (const listing of listings) {
        const held = this.sessions.get(tokenKey(state.path, listing));
        tokens.push({
          modulePath: state.path,
          label: listing.label,
          serial: listing.serial,
          manufacturer: listing.manufacturer,
          model: listing.model,
          pin: { countLow: listing.pin.countLow, finalTry: listing.pin.finalTry, locked: listing.pin.locked },
          loggedIn: held?.session.open ?? false,
          certificates: listing.certificates.map((c) => ({
            id: c.id,
            subject: c.subject,
            subjectCommonName: c.subjectCommonName,
            issuerCommonName: c.issuerCommonName,
            serialNumber: c.serialNumber,
            validFrom: c.validFrom,
            validTo: c.validTo,
            canSign: c.canSign,
            keyType: c.keyType,
            warning: c.warning,
            fingerprint256: c.fingerprint256,
          })),
          problem: listing.problem ? new AppError(listing.problem.reason as AppError['code'], listing.problem.message).toShape() : null,
        });
      }
    }
    return {
      modules: modules.map((m) => (m.error ? { path: m.path, loaded: m.module !== null, error: m.error.toShape() } : { path: m.path, loaded: m.module !== null })),
      tokens,
    };
  }

  /** The one plugged-in token the selector names, across every module. */
  private findPresent(selector: TokenSelector): { module: ModuleState; token: PresentToken } {
    const found: Array<{ module: ModuleState; token: PresentToken }> = [];
    for (const module of this.start()) {
      if (!module.api) continue;
      let present;
      try {
        present = presentTokens(module.api);
      } catch (error) {
        throw asAppError(error, 'looking for the token');
      }
      for (const { token } of present) if (matches(token, selector)) found.push({ module, token });
    }
    const [first, ...others] = found;
    if (!first) {
      const which = selector.serial === undefined ? `labelled “${selector.label}”` : `labelled “${selector.label}” with serial ${selector.serial}`;
      throw new AppError('TOKEN_NOT_FOUND', `No token ${which} is plugged in; plug it in and retry.`, { label: selector.label });
    }
    if (others.length > 0) {
      throw new AppError('TOKEN_AMBIGUOUS', `${found.length} tokens labelled “${selector.label}” are plugged in; choose one by its serial number.`, { label: selector.label });
    }
    return first;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
