// The app core: the registry database, the file store, settings and the API handlers, in plain
// Node. The Electron shell, the web host and the CLI each open one and talk to it.
import os from 'node:os';
import path from 'node:path';
import { openDatabase, schemaVersion, type Database } from '../storage/database.js';
import { BlobStore } from '../storage/blobStore.js';
import { sweepPendingFiles } from '../registry/fileJournal.js';
import { createFileSettings, type SettingsStore } from '../settings/settings.js';
import { createHandlers } from '../api/handlers.js';
import type { Handlers } from '../api/invoke.js';
import { AppEvents } from './events.js';
import { TokenService, type TokenServiceOptions } from '../token/service.js';
import { createKeyFileSecretBox, type SecretBox } from '../secrets/secretBox.js';
import { ExchangeService } from '../exchange/service.js';
import type { TokenModulePicker } from '../token/userModules.js';
import type { FileReveal } from '../registry/documentFiles.js';
import { ensurePrivateDataDir } from '../paths/dataDir.js';
import { currentCaller } from './caller.js';

export interface CoreOptions {
  dataDir: string;
  shell: 'electron' | 'web' | 'cli';
  settings?: SettingsStore;
  /** Who is acting, for the audit trail: the OS account until clerks sign in. */
  actor?: string;
  /** Token service options for tests: a fault-injecting wrapper, where to look for modules, the poll rate. */
  tokens?: Pick<TokenServiceOptions, 'wrapModule' | 'knownModules' | 'pollIntervalMs' | 'clock'>;
  /** Seals the axis secret: safeStorage in the Electron shell, the key-file box elsewhere. */
  secrets?: SecretBox;
  /** The desktop shell's native dialogs for adding a token library; absent elsewhere (see token/userModules.ts). */
  tokenModulePicker?: TokenModulePicker;
  /** The desktop shell's file manager, for "Mở thư mục"; absent elsewhere (see registry/documentFiles.ts). */
  fileReveal?: FileReveal;
}

/** What the handlers work with: everything of the core but the handlers themselves. */
export interface CoreServices {
  readonly dataDir: string;
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly settings: SettingsStore;
  readonly events: AppEvents;
  readonly tokens: TokenService;
  readonly actor: string;
  readonly secrets: SecretBox;
  readonly tokenModulePicker: TokenModulePicker | undefined;
  readonly fileReveal: FileReveal | undefined;
  close(): void;
}

export interface Core extends CoreServices {
  readonly handlers: Handlers;
  /** Sending and receiving over the axis; the shells start its interval, the CLI runs single passes. */
  readonly exchange: ExchangeService;
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'eoffice.sqlite');
}

export function openCore(options: CoreOptions): Core {
  ensurePrivateDataDir(options.dataDir);
  const db = openDatabase(databasePath(options.dataDir));
  const blobs = new BlobStore(path.join(options.dataDir, 'files'));
  sweepPendingFiles(db, blobs);
  const settings = options.settings ?? createFileSettings(options.dataDir);
  const events = new AppEvents();
  const actor = options.actor ?? safeUserName();
  const tokens = new TokenService({
    ...options.tokens,
    userModules: () => settings.read().tokenModules,
    signingPolicy: () => ({ sessionSeconds: settings.read().signingSessionSeconds, idleMinutes: settings.read().signingIdleMinutes }),
    onChange: (overview) => events.emit('token.changed', overview),
  });
  const services: CoreServices = {
    dataDir: options.dataDir,
    db,
    blobs,
    settings,
    events,
    tokens,
    // Read at each use: on the office host, the person whose call is running (app/caller.ts).
    get actor() {
      return currentCaller()?.login ?? actor;
    },
    secrets: options.secrets ?? createKeyFileSecretBox(options.dataDir),
    tokenModulePicker: options.tokenModulePicker,
    fileReveal: options.fileReveal,
    close: () => {
      exchange.stop();
      tokens.close();
      db.close();
    },
  };
  const exchange = new ExchangeService(services);
  // Added to the services themselves, not spread into a copy: a copy would read the actor once.
  return Object.assign(services, { exchange, handlers: createHandlers(services, exchange, { shell: options.shell === 'electron' ? 'electron' : 'web', schemaVersion: schemaVersion(db) }) });
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
