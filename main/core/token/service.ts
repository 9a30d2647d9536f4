// The app's tokens: the PKCS#11 modules it has loaded, the tokens plugged in, and the sessions it
// holds after a login.
//
// Nothing starts until the first call: the CLI and the tests that never touch a token load no
// module and poll nothing. Once started, the modules stay loaded and a watcher per module notices
// tokens coming and going; each change is reported through onChange with the whole overview.
//
// A login serves one signing act — one document, one batch, one issue — and the token is logged
// out when the act ends: a login kept open would let anyone at the PC sign as the token's holder
// with one click. The administrator may let the PIN serve further acts for a short window after
// it was typed (signingSessionSeconds); a login left without a signing act for signingIdleMinutes
// lapses; logoutAll() ends every login at once (the shell calls it on screen lock and suspend).
//
// The PIN is an argument of login() and signingAct() and nothing more: it is never stored here.
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
  /** How long a PIN serves, read at each login and act (the administrator's settings); PIN_PER_ACT by default. */
  signingPolicy?: () => SigningPolicy;
  /** The time and the timers the logouts run on; tests move them by hand. */
  clock?: SessionClock;
}

export interface SigningPolicy {
  /** Seconds after the PIN was typed during which further acts need none; 0: every act asks. */
  sessionSeconds: number;
  /** Minutes without a signing act after which a login lapses. */
  idleMinutes: number;
}

// Without settings (a service made by hand), every act asks for the PIN.
const PIN_PER_ACT: SigningPolicy = { sessionSeconds: 0, idleMinutes: 5 };

export interface SessionClock {
  now(): number;
  /** Runs `run` after `ms`; the answer cancels it. */
  setTimer(run: () => void, ms: number): () => void;
}

const systemClock: SessionClock = {
  now: () => Date.now(),
  setTimer(run, ms) {
    // A pending logout must not keep the CLI or a test process alive.
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** What a signing act may bring: the PIN (to log in, or for a key that wants it at every signature). */
export interface SigningActOptions {
  pin?: string;
  confirmFinalTry?: boolean;
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
  /** When the PIN was typed. */
  loggedInAt: number;
  /** Until when an act may start on this login without a PIN; the login ends then. */
  usableUntil: number;
  /** A signing act is running on it: the logout waits for its end. */
  acting: boolean;
  cancelTimer: (() => void) | null;
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
  /** Signing acts one at a time per token, so that each finds the login as the one before left it. */
  private readonly acts = new Map<string, Promise<unknown>>();
  private readonly clock: SessionClock;
  private closed = false;

  constructor(options: TokenServiceOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
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
    for (const [key, h] of held) {
      this.sessions.delete(key);
      h.cancelTimer?.();
    }
    await Promise.all(held.map(([, h]) => h.session.close()));
    this.unload(state);
    this.changed();
  }

  /**
   * Logs in to the token for the next signing act (which logs it out again). A login still usable
   * is reused. The overview is reported afterwards either way: a wrong PIN moves the token's PIN
   * counters.
   */
  login(selector: TokenSelector, pin: string, options: LoginOptions = {}): Promise<{ warning: 'PIN_COUNT_LOW' | null }> {
    return this.serialized(async () => {
      const { module, token } = this.findPresent(selector);
      const key = tokenKey(module.path, token);
      const current = this.sessions.get(key);
      if (current && this.usable(current)) return { warning: null };
      // A login past its time is ended before the new one: the new PIN must be checked by the
      // token, which would take a second login on a logged-in token as already done.
      if (current) await this.end(current);
      const session = openTokenSession(module.api!, { label: token.label, serial: token.serial });
      try {
        const result = await session.login(pin, options);
        const now = this.clock.now();
        const held: HeldSession = { module, token, session, loggedInAt: now, usableUntil: now + this.policy().idleMinutes * 60_000, acting: false, cancelTimer: null };
        this.sessions.set(key, held);
        this.schedule(held);
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
      const held = [...this.sessions.values()].filter((h) => matches(h.token, selector));
      for (const h of held) await this.end(h, false);
      if (held.length > 0) this.changed();
    });
  }

  /** Logs every token out now: the screen was locked, the PC goes to sleep. */
  logoutAll(): Promise<void> {
    return this.serialized(async () => {
      const held = [...this.sessions.values()];
      for (const h of held) await this.end(h, false);
      if (held.length > 0) this.changed();
    });
  }

  /**
   * One signing act — a document, a batch, an issue — with the key of a certificate on the
   * token. The act runs on the login that is there (typed for this act, or within the
   * administrator's window) or logs in with `pin`; without either it is refused with
   * PIN_REQUIRED. When it ends, the token is logged out unless the window still runs. `pin` also
   * serves keys that want it at every signature (CKA_ALWAYS_AUTHENTICATE).
   */
  async signingAct<T>(selector: TokenSelector, certificateId: string, options: SigningActOptions, act: (key: TokenSigningKey) => Promise<T>): Promise<T> {
    this.start();
    const { module, token } = this.findPresent(selector);
    const key = tokenKey(module.path, token);
    const run = async (): Promise<T> => {
      let held = this.sessions.get(key);
      if (!held || !this.usable(held)) {
        if (options.pin === undefined) {
          if (held) await this.serialized(() => this.end(held!));
          throw new AppError('PIN_REQUIRED', `Enter the PIN of the token “${token.label}”: every signing asks for it.`, { label: token.label });
        }
        await this.login(selector, options.pin, { confirmFinalTry: options.confirmFinalTry });
        held = this.sessions.get(key);
        if (!held) throw new AppError('NOT_LOGGED_IN', `Log in to the token “${token.label}” (enter its PIN) before signing.`, { label: token.label });
      }
      const chosen = held;
      // No logout under a running act: its end decides.
      chosen.acting = true;
      chosen.cancelTimer?.();
      chosen.cancelTimer = null;
      try {
        const pin = options.pin;
        const signingKey = await chosen.session.signingKey(certificateId, { pinProvider: pin === undefined ? undefined : async () => pin });
        return await act({
          ...signingKey,
          sign: async (data) => {
            try {
              return await signingKey.sign(data);
            } catch (error) {
              // The token went away under the signature: its session, and the login, are gone with it.
              if (error instanceof AppError && SESSION_LOST.has(error.code)) this.forget(chosen);
              throw error;
            }
          },
        });
      } finally {
        chosen.acting = false;
        await this.actEnded(chosen);
      }
    };
    const previous = this.acts.get(key) ?? Promise.resolve();
    const result = previous.then(run, run);
    const settled = result.catch(() => undefined);
    this.acts.set(key, settled);
    void settled.then(() => {
      if (this.acts.get(key) === settled) this.acts.delete(key);
    });
    return result;
  }

  /**
   * Stops the watchers and unloads the modules. Finalising a module ends its sessions (and so its
   * logins) on the token.
   */
  close(): void {
    this.closed = true;
    for (const held of this.sessions.values()) held.cancelTimer?.();
    this.sessions.clear();
    for (const state of this.modules ?? []) this.unload(state);
    this.modules = null;
  }

  private policy(): SigningPolicy {
    return this.options.signingPolicy?.() ?? PIN_PER_ACT;
  }

  private usable(held: HeldSession): boolean {
    return held.session.open && this.clock.now() < held.usableUntil;
  }

  /**
   * After an act the login ends, unless the administrator's window (from when the PIN was typed)
   * still runs; then it serves until the window closes or the idle minutes pass, whichever is first.
   */
  private async actEnded(held: HeldSession): Promise<void> {
    if (this.sessions.get(tokenKey(held.module.path, held.token)) !== held) return;
    const { sessionSeconds, idleMinutes } = this.policy();
    const now = this.clock.now();
    const windowEnd = held.loggedInAt + sessionSeconds * 1000;
    if (sessionSeconds <= 0 || now >= windowEnd) {
      await this.serialized(() => this.end(held));
      return;
    }
    held.usableUntil = Math.min(windowEnd, now + idleMinutes * 60_000);
    this.schedule(held);
  }

  /** Ends the login when it stops being usable, unless an act is running (its end decides). */
  private schedule(held: HeldSession): void {
    held.cancelTimer?.();
    held.cancelTimer = this.clock.setTimer(() => {
      held.cancelTimer = null;
      if (!held.acting) void this.serialized(() => this.end(held)).catch(() => undefined);
    }, Math.max(0, held.usableUntil - this.clock.now()));
  }

  /** Logs out and closes the session; a token already gone is logged out by that. */
  private async end(held: HeldSession, report = true): Promise<void> {
    const key = tokenKey(held.module.path, held.token);
    if (this.sessions.get(key) !== held) return;
    this.sessions.delete(key);
    held.cancelTimer?.();
    held.cancelTimer = null;
    try {
      await held.session.logout();
    } catch {
      // The token was pulled out or the session lost: closing it is all that is left to do.
    } finally {
      await held.session.close();
    }
    if (report) this.changed();
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
    for (const [key, held] of this.sessions) {
      if (held.module !== state) continue;
      held.cancelTimer?.();
      this.sessions.delete(key);
    }
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
    held.cancelTimer?.();
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
          loggedIn: held ? this.usable(held) : false,
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
