// PKCS#11 modules: the CA middleware that drives a USB token. Vietnamese CAs each ship their own
// DLL (installed with the token's driver CD or download) into System32 — or SysWOW64 when only the
// 32-bit build was installed, which a 64-bit eOffice cannot load. Finding them automatically
// spares the user from knowing a file name; loading them says plainly why one cannot be used.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { PKCS11 } from 'pkcs11js';
import { AppError } from '../../common/errors.js';
import { CKF_OS_LOCKING_OK, CKR, isPkcs11Error, pkcs11ErrorName } from './pkcs11.js';

/** Middleware DLL names, by issuer, as the CAs' installers put them in the Windows system folder. */
export const WINDOWS_MODULES: ReadonlyArray<{ vendor: string; files: readonly string[] }> = [
  {
    vendor: 'VNPT-CA',
    files: ['vnpt-ca_csp11.dll', 'vnptca_p11_v6.dll', 'vnptca_p11_v7.dll', 'vnptca_p11_v8.dll', 'vnptca_p11_v9.dll', 'vnptca_p11_v10.dll'],
  },
  {
    vendor: 'Viettel-CA',
    files: ['viettel-ca.dll', 'viettel-ca_v1.dll', 'viettel-ca_v2.dll', 'viettel-ca_v3.dll', 'viettel-ca_v4.dll', 'viettel-ca_v5.dll', 'viettel-ca_v6.dll'],
  },
  { vendor: 'BKAV-CA', files: ['BkavCA.dll', 'BkavCAv2S.dll', 'BkavCA_P11.dll'] },
  { vendor: 'FPT-CA', files: ['fpt-ca.dll', 'fptca_v3.dll', 'fptca_v4.dll', 'fptca_v5.dll'] },
  { vendor: 'CA2 (Nacencomm)', files: ['CA2_csp11.dll', 'ShuttleCsp11_3003.dll'] },
  { vendor: 'SafeNet', files: ['eTPKCS11.dll'] },
  { vendor: 'Feitian', files: ['eps2003csp11.dll'] },
  { vendor: 'WatchData', files: ['wdpkcs.dll'] },
];

/** Shared objects of the middleware packaged for Linux and macOS. */
function unixModulePaths(platform: NodeJS.Platform, arch: string): string[] {
  if (platform === 'darwin') {
    return [
      '/Library/OpenSC/lib/opensc-pkcs11.so',
      '/usr/local/lib/opensc-pkcs11.so',
      '/opt/homebrew/lib/opensc-pkcs11.so',
      '/usr/local/lib/softhsm/libsofthsm2.so',
      '/opt/homebrew/lib/softhsm/libsofthsm2.so',
      '/usr/local/lib/libeTPkcs11.dylib',
    ];
  }
  // Debian and Ubuntu put libraries under the multiarch triplet; Fedora under lib64.
  const triplet = arch === 'arm64' ? 'aarch64-linux-gnu' : arch === 'ia32' ? 'i386-linux-gnu' : 'x86_64-linux-gnu';
  return [
    `/usr/lib/${triplet}/opensc-pkcs11.so`,
    `/usr/lib/${triplet}/pkcs11/opensc-pkcs11.so`,
    '/usr/lib64/opensc-pkcs11.so',
    '/usr/lib64/pkcs11/opensc-pkcs11.so',
    '/usr/lib/opensc-pkcs11.so',
    '/usr/lib/softhsm/libsofthsm2.so',
    `/usr/lib/${triplet}/softhsm/libsofthsm2.so`,
    '/usr/lib64/softhsm/libsofthsm2.so',
    '/usr/local/lib/softhsm/libsofthsm2.so',
    '/usr/lib/libeTPkcs11.so',
    '/usr/lib/libeToken.so',
  ];
}

/**
 * Where to look, in order of preference: for a 64-bit eOffice the 64-bit System32 copies first,
 * then SysWOW64 (32-bit: found so that loading can say why it fails, rather than staying silent).
 */
export function knownModulePaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): string[] {
  if (platform !== 'win32') return unixModulePaths(platform, arch);
  const systemRoot = env.SystemRoot ?? env.windir ?? 'C:\\Windows';
  // A 32-bit process on 64-bit Windows sees SysWOW64 through the System32 name (file system
  // redirection); Sysnative is the way to the real System32 from there. eOffice ships 64-bit, so
  // this is only for completeness.
  const folders = arch === 'ia32' ? ['System32'] : ['System32', 'SysWOW64'];
  const files = WINDOWS_MODULES.flatMap((entry) => entry.files);
  return folders.flatMap((folder) => files.map((file) => path.win32.join(systemRoot, folder, file)));
}

/** The known modules that exist on this machine, then the user's own paths that exist (deduplicated). */
export function findModules(extra: readonly string[] = [], candidates: readonly string[] = knownModulePaths()): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const candidate of [...candidates, ...extra]) {
    const key = process.platform === 'win32' ? candidate.toLowerCase() : candidate;
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      if (fs.statSync(candidate).isFile()) found.push(candidate);
    } catch {
      // Absent: the CA's middleware is not installed.
    }
  }
  return found;
}

export type BinaryFormat = 'pe' | 'elf' | 'mach-o' | 'unknown';

export interface ModuleBinary {
  format: BinaryFormat;
  /** Node's name for the architecture the file is built for (x64, ia32, arm64, arm), or null if unknown. */
  arch: string | null;
  bits: 32 | 64 | null;
}

const PE_MACHINES: Record<number, { arch: string; bits: 32 | 64 }> = {
  0x14c: { arch: 'ia32', bits: 32 },
  0x8664: { arch: 'x64', bits: 64 },
  0xaa64: { arch: 'arm64', bits: 64 },
  0x1c4: { arch: 'arm', bits: 32 },
};
const ELF_MACHINES: Record<number, string> = { 3: 'ia32', 0x3e: 'x64', 0x28: 'arm', 0xb7: 'arm64' };
const MACHO_CPUS: Record<number, string> = { 7: 'ia32', 0x01000007: 'x64', 12: 'arm', 0x0100000c: 'arm64' };

/** Reads the header of a library file to tell what it is built for, without loading it. */
export function inspectModuleBinary(file: string): ModuleBinary {
  const header = readAt(file, 0, 4096);
  const unknown: ModuleBinary = { format: 'unknown', arch: null, bits: null };
  if (header.length >= 64 && header[0] === 0x4d && header[1] === 0x5a) {
    // DOS header "MZ"; e_lfanew at 0x3c points to "PE\0\0" followed by the COFF Machine field.
    const peOffset = header.readUInt32LE(0x3c);
    const peHeader = peOffset + 6 <= header.length ? header : readAt(file, peOffset, 6);
    const at = peHeader === header ? peOffset : 0;
    if (peHeader.length >= at + 6 && peHeader.readUInt32BE(at) === 0x50450000) {
      const machine = PE_MACHINES[peHeader.readUInt16LE(at + 4)];
      return machine ? { format: 'pe', ...machine } : { format: 'pe', arch: null, bits: null };
    }
    return unknown;
  }
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    // ELF: EI_CLASS (1 = 32-bit, 2 = 64-bit), EI_DATA (1 = little endian), then e_machine at 18.
    const bits = header[4] === 1 ? 32 : header[4] === 2 ? 64 : null;
    const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
    return { format: 'elf', arch: ELF_MACHINES[machine] ?? null, bits };
  }
  if (header.length >= 8) {
    const magic = header.readUInt32LE(0);
    if (magic === 0xfeedface || magic === 0xfeedfacf) {
      const arch = MACHO_CPUS[header.readUInt32LE(4)] ?? null;
      return { format: 'mach-o', arch, bits: magic === 0xfeedfacf ? 64 : 32 };
    }
    // A universal (fat) binary holds several architectures; dlopen picks the right one.
    if (header.readUInt32BE(0) === 0xcafebabe) return { format: 'mach-o', arch: null, bits: null };
  }
  return unknown;
}

function readAt(file: string, position: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

const BITS_OF_ARCH: Record<string, 32 | 64> = { ia32: 32, arm: 32, x64: 64, arm64: 64 };

/**
 * Linux's statfs f_type of the file systems that live on another machine: NFS, SMB/CIFS (three
 * generations), AFS, Ceph, 9p. A library there can be replaced by whoever controls the share.
 */
const NETWORK_FILE_SYSTEMS = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x5346414f, 0x00c36400, 0x01021997]);

/**
 * Why a library at this path must not be loaded because it is on another machine, or null. A
 * module's code runs inside eOffice with the clerk's rights; one on a share runs whatever the
 * share holds at that moment. Refused: UNC paths (\\server\share, //server/share, and Win32's
 * \\?\UNC\ form — any path that starts with two separators), URLs (smb://, file://), a mapped
 * drive letter (where Windows' own realpath resolves it to its UNC target) and, on Linux, a file
 * on an NFS or SMB mount (the file system's type says so; macOS numbers its types differently).
 */
function networkLocation(modulePath: string): string | null {
  // Two leading separators, except Win32's long form of a local drive (\\?\C:\…, \\.\C:\…).
  const isNetworkForm = (p: string) => /^[\\/]{2}(?![?.][\\/][a-z]:)/i.test(p) || /^[a-z][a-z0-9+.-]+:/i.test(p);
  if (isNetworkForm(modulePath)) return modulePath;
  try {
    const real = fs.realpathSync.native(modulePath);
    if (isNetworkForm(real)) return real;
    if (process.platform === 'linux' && NETWORK_FILE_SYSTEMS.has(fs.statfsSync(real).type)) return real;
  } catch {
    // Missing or unreadable: loading says so in its own words.
  }
  return null;
}

/** Refuses a module on a network share (see networkLocation) with MODULE_NETWORK_PATH. */
export function assertLocalModule(modulePath: string): void {
  const location = networkLocation(modulePath);
  if (location === null) return;
  const name = path.basename(modulePath.replaceAll('\\', '/'));
  throw new AppError(
    'MODULE_NETWORK_PATH',
    `${name} is on a network share (${location}); a token library runs inside eOffice, so only one installed on this computer is loaded — install the CA's middleware here.`,
    { module: name, path: modulePath },
  );
}

/**
 * Why this process cannot load the file, judged from its header alone, or null when the header
 * does not rule it out. The common case is a VNPT/Viettel token whose 32-bit middleware is all
 * that got installed.
 */
export function architectureProblem(
  file: string,
  binary: ModuleBinary,
  processArch: string = process.arch,
  platform: NodeJS.Platform = process.platform,
): { reason: 'MODULE_WRONG_ARCH' | 'MODULE_WRONG_PLATFORM'; message: string } | null {
  const name = path.basename(file);
  if (binary.arch && binary.arch !== processArch) {
    const ours = BITS_OF_ARCH[processArch];
    if (binary.bits && ours && binary.bits !== ours) {
      return {
        reason: 'MODULE_WRONG_ARCH',
        message: `${name} is a ${binary.bits}-bit module; this ${ours}-bit eOffice cannot load it — install the CA's ${ours}-bit middleware.`,
      };
    }
    return {
      reason: 'MODULE_WRONG_ARCH',
      message: `${name} is built for ${binary.arch}; this eOffice runs on ${processArch} and cannot load it — install the CA's middleware for ${processArch}.`,
    };
  }
  const native: Partial<Record<NodeJS.Platform, BinaryFormat>> = { win32: 'pe', linux: 'elf', darwin: 'mach-o' };
  const expected = native[platform];
  if (expected && binary.format !== 'unknown' && binary.format !== expected) {
    const kind = binary.format === 'pe' ? 'a Windows DLL' : binary.format === 'elf' ? 'a Linux library' : 'a macOS library';
    return { reason: 'MODULE_WRONG_PLATFORM', message: `${name} is ${kind}; it cannot be loaded on ${platform} — install the CA's middleware for this system.` };
  }
  return null;
}

export interface LoadedModule {
  readonly path: string;
  /** The pkcs11js binding, initialised. Hand it (or a wrapper) to listTokens / TokenSession. */
  readonly pkcs11: PKCS11;
  readonly description: string;
  readonly manufacturer: string;
  /** Gives this use of the module back; the last one finalises and unloads it. */
  release(): void;
}

// pkcs11js is CommonJS with a native addon: loaded on first use, so that merely importing this
// file (to list paths, say) does not need the addon built.
const require = createRequire(import.meta.url);
let binding: typeof import('pkcs11js') | undefined;
function pkcs11js(): typeof import('pkcs11js') {
  binding ??= require('pkcs11js') as typeof import('pkcs11js');
  return binding;
}

interface ModuleEntry {
  module: LoadedModule;
  users: number;
  ownsInitialization: boolean;
}

// One load per file: the operating system maps a library once per process whatever the number of
// dlopen calls, and PKCS#11 state (C_Initialize, logins) lives in it, so two independent loads
// would finalise each other.
const loaded = new Map<string, ModuleEntry>();

/**
 * Loads a PKCS#11 module and initialises it. Loading the same file again returns the same module
 * (counted; each use calls release()). Failures are AppErrors naming the file and the reason:
 * the code is MODULE_NETWORK_PATH, MODULE_MISSING, MODULE_WRONG_ARCH, MODULE_WRONG_PLATFORM,
 * MODULE_NOT_PKCS11 or MODULE_LOAD_FAILED.
 */
export function loadModule(modulePath: string): LoadedModule {
  assertLocalModule(modulePath);
  const name = path.basename(modulePath);
  let realPath: string;
  try {
    realPath = fs.realpathSync(modulePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new AppError('MODULE_MISSING', `The token module ${name} was not found at ${modulePath}; install the CA's middleware or correct the path.`, { module: name,
        path: modulePath,
      });
    }
    throw new AppError('MODULE_LOAD_FAILED', `The token module ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, { module: name,
      path: modulePath,
    });
  }
  if (!fs.statSync(realPath).isFile()) {
    throw new AppError('MODULE_NOT_PKCS11', `${name} is not a PKCS#11 token module (it is a folder).`, { module: name, path: modulePath });
  }
  const existing = loaded.get(realPath);
  if (existing) {
    existing.users += 1;
    return existing.module;
  }

  const problem = architectureProblem(modulePath, inspectModuleBinary(realPath));
  if (problem) throw new AppError(problem.reason, problem.message, { module: name, path: modulePath });

  const { PKCS11 } = pkcs11js();
  const pkcs11 = new PKCS11();
  try {
    pkcs11.load(realPath);
  } catch (error) {
    throw loadFailure(modulePath, error);
  }
  let ownsInitialization = true;
  try {
    initialize(pkcs11);
  } catch (error) {
    if (isPkcs11Error(error, CKR.CRYPTOKI_ALREADY_INITIALIZED)) {
      // Someone else in this process (another library, a test's setup) initialised it: use it as
      // it is, and leave finalising to them.
      ownsInitialization = false;
    } else {
      closeQuietly(pkcs11);
      throw new AppError('MODULE_LOAD_FAILED', `The token module ${name} loaded but failed to start (${pkcs11ErrorName(error)}); reinstall the CA's middleware.`, { module: name,
        path: modulePath,
        pkcs11: pkcs11ErrorName(error),
      });
    }
  }
  let description = '';
  let manufacturer = '';
  try {
    const info = pkcs11.C_GetInfo();
    description = info.libraryDescription.trim();
    manufacturer = info.manufacturerID.trim();
  } catch {
    // Descriptive only.
  }
  const entry: ModuleEntry = {
    users: 1,
    ownsInitialization,
    module: {
      path: modulePath,
      pkcs11,
      description,
      manufacturer,
      release() {
        if (loaded.get(realPath) !== entry || entry.users === 0) return;
        entry.users -= 1;
        if (entry.users > 0) return;
        loaded.delete(realPath);
        if (entry.ownsInitialization) {
          try {
            pkcs11.C_Finalize();
          } catch {
            // Nothing more to release.
          }
        }
        closeQuietly(pkcs11);
      },
    },
  };
  loaded.set(realPath, entry);
  return entry.module;
}

function initialize(pkcs11: PKCS11): void {
  try {
    // Signatures run on worker threads while the UI thread polls for tokens: the module must
    // lock for itself.
    pkcs11.C_Initialize({ flags: CKF_OS_LOCKING_OK });
  } catch (error) {
    // Some older middleware cannot use the OS's locking and says so; then without arguments.
    if (!isPkcs11Error(error, CKR.CANT_LOCK)) throw error;
    pkcs11.C_Initialize();
  }
}

function closeQuietly(pkcs11: PKCS11): void {
  try {
    pkcs11.close();
  } catch {
    // Already closed.
  }
}

// pkcs11js reports dlopen's own message on Linux and macOS, and "Win32 error N" on Windows.
function loadFailure(modulePath: string, error: unknown): AppError {
  const name = path.basename(modulePath);
  const message = error instanceof Error ? error.message : String(error);
  const details = { module: name, path: modulePath };
  // Loaded, but no C_GetFunctionList (ERROR_PROC_NOT_FOUND on Windows): some other library.
  if (/C_GetFunctionList|Win32 error 127\b/.test(message)) {
    return new AppError('MODULE_NOT_PKCS11', `${name} is not a PKCS#11 token module (it has no C_GetFunctionList); choose the CA's PKCS#11 library.`, details);
  }
  // Not a loadable library at all (a text file, a truncated download, an installer).
  if (/invalid ELF header|file too short|not a mach-o file|slice is not valid|Win32 error 193\b/i.test(message)) {
    return new AppError('MODULE_NOT_PKCS11', `${name} is not a PKCS#11 token module (not a loadable library).`, details);
  }
  // ERROR_MOD_NOT_FOUND for a file that exists: a DLL it depends on is missing.
  if (/Win32 error 126\b/.test(message)) {
    return new AppError('MODULE_LOAD_FAILED', `The token module ${name} could not be loaded: a library it needs is missing; reinstall the CA's middleware.`, { ...details,
    });
  }
  const why = message.split('\n')[0]?.replace(modulePath, name).trim() || 'unknown error';
  return new AppError('MODULE_LOAD_FAILED', `The token module ${name} could not be loaded (${why}); reinstall the CA's middleware.`, { ...details,
  });
}
