// Turns a clerk's Word or Writer draft into a PDF with LibreOffice, run headless as a one-off
// process. LibreOffice is not bundled: the client finds an installed one (CI installs
// libreoffice-writer-nogui). EOFFICE_SOFFICE names the program to use instead of searching: for a
// portable LibreOffice in an odd place, and for tests (a path that does not exist means "none").
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors.js';
import { childEnvironment } from '../secrets/childEnvironment.js';

const CONVERTIBLE_EXTENSIONS = new Set(['.docx', '.doc', '.odt', '.rtf']);
const DEFAULT_TIMEOUT_MS = 120_000;
/** Enough of LibreOffice's own words to tell why it failed, without flooding a log line. */
const STDERR_TAIL_CHARS = 600;
const TEMP_PREFIX = 'eoffice-convert-';

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    // Windows has no execute bit; a file that exists there is as good as it gets.
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where LibreOffice is: EOFFICE_SOFFICE if set, else PATH, else the places installers put it; null if nowhere. */
export function officeConverter(): string | null {
  const configured = process.env.EOFFICE_SOFFICE;
  // A configured path that is wrong is reported as missing rather than silently replaced by
  // another installation: the setting should say which program runs.
  if (configured) return isExecutableFile(configured) ? configured : null;

  const windows = process.platform === 'win32';
  const names = windows ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) for (const name of names) candidates.push(path.join(dir, name));
  }
  if (windows) {
    // The installer does not add LibreOffice to PATH.
    for (const root of [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.ProgramW6432]) {
      if (root) candidates.push(path.join(root, 'LibreOffice', 'program', 'soffice.exe'));
    }
  } else {
    // A desktop session may start the client with a PATH that lacks /usr/bin's neighbours.
    candidates.push('/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice');
    if (process.platform === 'darwin') candidates.push('/Applications/LibreOffice.app/Contents/MacOS/soffice');
  }
  return candidates.find(isExecutableFile) ?? null;
}

/** Kills LibreOffice and what it started: /usr/bin/soffice is a script that starts oosplash, which starts soffice.bin. */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    execFile('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, env: childEnvironment() }, () => undefined);
    return;
  }
  try {
    // The child leads its own process group (detached), so one signal reaches the whole tree.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

interface ConverterOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why the program could not be started at all (ENOENT, EACCES…). */
  startError: string | null;
  stdout: string;
  stderr: string;
  reason: 'exit' | 'timeout' | 'cancelled';
}

/**
 * Runs LibreOffice without a shell, so file names reach it as they are, never as shell syntax.
 * spawn rather than execFile: execFile does not pass `detached` on, and without its own process
 * group LibreOffice cannot be killed as a whole — execFile's own timeout kills only the wrapper
 * script and leaves soffice.bin running.
 */
function runConverter(converter: string, args: string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<ConverterOutcome> {
  return new Promise((resolve) => {
    let reason: ConverterOutcome['reason'] = 'exit';
    let stdout = '';
    let stderr = '';
    // Only the end matters for the message; a bounded tail keeps a chatty run from growing memory.
    const keepTail = (sofar: string, chunk: Buffer) => (sofar + chunk.toString('utf8')).slice(-4 * STDERR_TAIL_CHARS);
    const child = spawn(converter, args, {
      shell: false,
      env: childEnvironment(),
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group (POSIX), so that killing it reaches oosplash and soffice.bin.
      detached: process.platform !== 'win32',
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout = keepTail(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = keepTail(stderr, chunk)));
    const timer = setTimeout(() => {
      reason = 'timeout';
      killTree(child);
    }, timeoutMs);
    const onAbort = () => {
      reason = 'cancelled';
      killTree(child);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let startError: string | null = null;
    child.on('error', (error: NodeJS.ErrnoException) => {
      startError = error.code ?? error.message;
    });
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Whatever LibreOffice left running in its group (nothing, normally) must not outlive the
      // conversion and hold files in the folder about to be removed.
      killGroupLeftovers(child);
      resolve({ exitCode, signal: exitSignal, startError, stdout, stderr, reason });
    });
  });
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether the bytes start like something Writer opens as a document: a ZIP (.docx, .odt), an OLE2
 * compound file (.doc), RTF, or markup (HTML or Word XML saved as .doc, flat ODT). Anything else
 * is refused before LibreOffice sees it, because LibreOffice does not fail on such bytes: it falls
 * back to its plain-text import and "converts" them into pages of garbage, exit code 0.
 */
function looksLikeOfficeDocument(head: Buffer): boolean {
  const startsWith = (hex: string) => head.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  if (startsWith('504b0304') || startsWith('d0cf11e0a1b11ae1')) return true;
  let text = head.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  else if (text.startsWith('\xff\xfe') || text.startsWith('\xfe\xff')) text = text.slice(2).replace(/\0/g, '');
  text = text.trimStart();
  return text.startsWith('{\\rtf') || text.startsWith('<');
}

function killGroupLeftovers(child: ChildProcess): void {
  if (process.platform === 'win32' || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone, as it should be.
  }
}

function tail(text: string): string {
  // Debian's LibreOffice warns about Java on every run; that line explains no failure.
  const trimmed = text
    .split(/\r?\n/)
    .filter((line) => !/javaldx/.test(line))
    .join('\n')
    .trim();
  return trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}

/**
 * Converts a .docx, .doc, .odt or .rtf file to PDF bytes. The input file is only read. Throws
 * INVALID_INPUT for other files, CONVERTER_MISSING without LibreOffice, CONVERSION_FAILED when it
 * fails, times out or produces something that is not a PDF, CANCELLED when `signal` aborts.
 */
export async function convertToPdf(inputPath: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const fileName = path.basename(inputPath);
  const details = { fileName };
  const extension = path.extname(inputPath).toLowerCase();
  if (!CONVERTIBLE_EXTENSIONS.has(extension)) {
    throw new AppError('INVALID_INPUT', `${fileName} is not a Word or Writer document (.docx, .doc, .odt, .rtf).`, details);
  }
  const converter = officeConverter();
  if (!converter) {
    throw new AppError('CONVERTER_MISSING', `LibreOffice is needed to turn ${fileName} into a PDF; install it, or save the draft as PDF.`, details);
  }
  if (options.signal?.aborted) throw new AppError('CANCELLED', `Converting ${fileName} was cancelled.`, details);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  try {
    // A copy under a plain ASCII name: LibreOffice names its output after its input and mangles
    // some Vietnamese names (decomposed accents, non-UTF-8 locales), and its lock file
    // (.~lock.…#) and any recovery data land next to the file it opens — here, not in the
    // clerk's folder. The clerk's file is read once, by the copy, and never opened for writing.
    const inputCopy = path.join(workDir, `draft${extension}`);
    try {
      fs.copyFileSync(inputPath, inputCopy);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${fileName} does not exist.`, details);
      throw new AppError('FILE_UNREADABLE', `${fileName} cannot be read (${(error as Error).message}).`, details);
    }
    const head = readHead(inputCopy);
    if (head.length === 0) throw new AppError('EMPTY_FILE', `${fileName} is empty.`, details);
    if (!looksLikeOfficeDocument(head)) {
      throw new AppError('CONVERSION_FAILED', `${fileName} is damaged or is not a Word or Writer document; open it in Word or LibreOffice and save it again.`, details);
    }
    const outDir = path.join(workDir, 'out');
    const profileDir = path.join(workDir, 'profile');
    fs.mkdirSync(outDir);

    const args = [
      // A private, throw-away profile: with the user's own profile, a LibreOffice the user has
      // open would take the request over its pipe (and convert in the wrong process or not at
      // all), two conversions would block each other, and a crash could damage their settings.
      `-env:UserInstallation=${pathToFileURL(profileDir).href}`,
      '--headless', // no window, no dialog that would wait for a click nobody gives
      '--norestore', // never try to recover an earlier crashed conversion
      '--convert-to',
      'pdf',
      '--outdir',
      outDir,
      inputCopy,
    ];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { exitCode, signal, startError, stderr, stdout, reason } = await runConverter(converter, args, timeoutMs, options.signal);

    if (reason === 'cancelled') throw new AppError('CANCELLED', `Converting ${fileName} was cancelled.`, details);
    const said = tail(stderr) || tail(stdout);
    const failed = (why: string) => new AppError('CONVERSION_FAILED', `LibreOffice could not convert ${fileName} to PDF: ${why}${said ? ` (LibreOffice said: ${said})` : ''}.`, details);
    if (reason === 'timeout') throw failed(`it took longer than ${timeoutMs / 1000} s`);
    if (startError) throw failed(`${converter} could not be started (${startError})`);
    if (exitCode !== 0) throw failed(`it stopped with ${signal ? `signal ${signal}` : `exit code ${exitCode}`}`);
    // LibreOffice exits with 0 even when it could not load the file; only the output tells.
    const output = path.join(outDir, 'draft.pdf');
    if (!fs.existsSync(output)) throw failed('it wrote no PDF');
    const bytes = fs.readFileSync(output);
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw failed('what it wrote is not a PDF');
    // A plain Uint8Array over its own memory: pdf.js refuses Node Buffers.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  } finally {
    // Retries: on Windows soffice.bin may hold its files for a moment after the wrapper exits.
    fs.rmSync(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
