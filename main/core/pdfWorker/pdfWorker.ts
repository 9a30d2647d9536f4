// The PDF worker: where untrusted PDFs are parsed — imported (pdf.js), validated, read before
// signing — so that the main process always answers. The readers are bounded (pdfStructure.ts);
// this is the second line, for whatever a hostile file still finds: each job gets a time and a
// heap budget, and a job over either is stopped (the thread terminated) and refused with
// PDF_TOO_COMPLEX. One thread is kept warm between jobs, and started with the first: signing a
// document must not pay for a new thread each time. Jobs run one at a time, in the order asked;
// a job asked of an idle worker is posted at once, so that the caller can work meanwhile.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../common/errors.js';
import type { PdfJobs } from './jobs.js';
import type { JobAnswer, JobRequest } from './thread.js';

export interface PdfWorkLimits {
  /** Wall-clock time for one job's reading, from when its code is loaded. */
  timeMs: number;
  /** The thread's JavaScript heap (V8's old generation), in MB. */
  heapMb: number;
}

/**
 * Generous for real documents — a 100 MB scan validates in under a second, pdf.js reads the text
 * of 300 pages in one, 500,000 cross-reference entries take some 130 MB — yet a hostile file is
 * stopped well before a clerk gives up waiting. zlib's buffers are outside the heap: the readers
 * bound those (pdfStructure.ts).
 */
export const PDF_WORK_LIMITS: PdfWorkLimits = { timeMs: 6000, heapMb: 256 };

/** Starting a thread and loading a job's code does not depend on the document; only a broken installation takes this long. */
const LOAD_TIMEOUT_MS = 60_000;

type JobName = keyof PdfJobs;
type JobInput<N extends JobName> = Parameters<PdfJobs[N]['run']>[1];
type JobOutput<N extends JobName> = Awaited<ReturnType<PdfJobs[N]['run']>>;

interface Job {
  request: Omit<JobRequest, 'id'>;
  fileName: string;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

const tooComplex = (fileName: string, why: string) =>
  new AppError('PDF_TOO_COMPLEX', `${fileName} was not read to the end: ${why}. Its structure may have been made to stall the computer.`, { fileName });

export class PdfWorker {
  private thread: Worker | null = null;
  private readonly waiting: Job[] = [];
  private running = false;
  private nextId = 1;

  constructor(private readonly limits: PdfWorkLimits = PDF_WORK_LIMITS) {}

  /** Runs a job of jobs.ts in the thread, after the jobs asked before it. */
  run<N extends JobName>(name: N, input: JobInput<N>, fileName: string): Promise<JobOutput<N>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request: { name, input }, fileName, resolve: resolve as (result: unknown) => void, reject });
      if (!this.running) this.next();
    });
  }

  /**
   * Starts the thread and loads the code of `names` without waiting: a command that will need the
   * worker (verify, sign, import) calls this first, so that the thread's start-up overlaps its own.
   * A failure here shows again, with its reason, at the job itself.
   */
  prepare(...names: JobName[]): void {
    for (const name of names) {
      new Promise((resolve, reject) => {
        this.waiting.push({ request: { name, input: null, loadOnly: true }, fileName: name, resolve, reject });
        if (!this.running) this.next();
      }).catch(() => undefined);
    }
  }

  /** Stops the thread; the next job starts another. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.terminate();
  }

  private spawn(): Worker {
    const worker = spawnThread(this.limits);
    this.thread = worker;
    // A thread that ends between jobs is replaced at the next one.
    worker.once('exit', () => {
      if (this.thread === worker) this.thread = null;
    });
    return worker;
  }

  private next(): void {
    const job = this.waiting.shift();
    this.running = job !== undefined;
    if (!job) return;
    let worker: Worker;
    try {
      worker = this.thread ?? this.spawn();
    } catch (error) {
      job.reject(error);
      this.next();
      return;
    }
    const id = this.nextId++;
    let finished = false;
    const detach = () => {
      finished = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (answer: JobAnswer) => {
      if (answer.id !== id || finished) return;
      if ('started' in answer) {
        clearTimeout(timer);
        timer = setTimeout(() => stop(tooComplex(job.fileName, `reading it took more than ${this.limits.timeMs / 1000} s`)), this.limits.timeMs);
        return;
      }
      detach();
      // Idle, the warm thread does not keep the process alive.
      worker.unref();
      if (answer.ok) job.resolve(answer.result);
      else job.reject(new AppError(answer.error.code, answer.error.message, answer.error.details));
      this.next();
    };
    // A stopped job's thread is terminated before the refusal: it may be reading a file that the
    // caller closes next.
    const stop = (error: AppError) => {
      if (finished) return;
      detach();
      if (this.thread === worker) this.thread = null;
      void worker.terminate().then(() => {
        job.reject(error);
        this.next();
      });
    };
    const onError = (error: Error & { code?: string }) =>
      stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(job.fileName, `reading it needed more than ${this.limits.heapMb} MB of memory`) : new AppError('INTERNAL', `The PDF worker failed on ${job.fileName}: ${error.message}`));
    const onExit = (code: number) => stop(new AppError('INTERNAL', `The PDF worker stopped (exit code ${code}) while reading ${job.fileName}.`));
    let timer = setTimeout(() => stop(new AppError('INTERNAL', `The PDF worker did not start reading ${job.fileName} within ${LOAD_TIMEOUT_MS / 1000} s.`)), LOAD_TIMEOUT_MS);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // Referenced while a job runs, so that a process waiting for nothing else waits for it.
    worker.ref();
    worker.postMessage({ id, ...job.request } satisfies JobRequest);
  }
}

/**
 * From the sources (tests, tsx) the thread is thread.ts, and registers tsx itself: a worker does
 * not inherit its parent's module hooks. From a bundle it is pdfWorker.mjs, which the build
 * writes beside each bundle (main/build/build.mjs); code split into a chunks/ folder finds it
 * one level up.
 */
function spawnThread(limits: PdfWorkLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.heapMb };
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const thread = new URL('./thread.ts', here).href;
    const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); });`;
    return new Worker(bootstrap, { eval: true, resourceLimits });
  }
  const candidates = [new URL('./pdfWorker.mjs', here), new URL('../pdfWorker.mjs', here)];
  const file = candidates.find((url) => fs.existsSync(fileURLToPath(url)));
  if (!file) throw new AppError('INTERNAL', `The PDF worker (pdfWorker.mjs) is missing beside ${fileURLToPath(here)}: rebuild eOffice.`);
  return new Worker(file, { resourceLimits });
}

let shared: PdfWorker | null = null;

/** The process's PDF worker. */
export function pdfWorker(): PdfWorker {
  shared ??= new PdfWorker();
  return shared;
}
