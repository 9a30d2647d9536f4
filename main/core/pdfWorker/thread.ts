// The PDF worker's thread (built as pdfWorker.mjs beside each bundle): runs the jobs pdfWorker.ts
// posts, one at a time. It says when a job's code is loaded and the reading starts (the budget
// runs from there), then answers with the result or the error's shape.
import { parentPort } from 'node:worker_threads';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { PDF_JOBS, type PdfJobs } from './jobs.js';

/** `loadOnly`: load the job's code and answer null, so that a command can warm the thread while it does its own work. */
export type JobRequest = { id: number; name: keyof PdfJobs; input: unknown; loadOnly?: boolean };
export type JobAnswer = { id: number; started: true } | { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorShape };

type AnyJob = { load(): Promise<unknown>; run(code: unknown, input: unknown): unknown };

const port = parentPort!;

port.on('message', async ({ id, name, input, loadOnly }: JobRequest) => {
  let answer: JobAnswer;
  try {
    const job = PDF_JOBS[name] as AnyJob;
    const code = await job.load();
    if (loadOnly) {
      port.postMessage({ id, ok: true, result: null } satisfies JobAnswer);
      return;
    }
    port.postMessage({ id, started: true } satisfies JobAnswer);
    answer = { id, ok: true, result: await job.run(code, input) };
  } catch (error) {
    answer = { id, ok: false, error: error instanceof AppError ? error.toShape() : { code: 'INTERNAL', message: (error as Error).message ?? String(error) } };
  }
  port.postMessage(answer);
});
