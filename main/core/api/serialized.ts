/**
 * A queue that runs tasks one after another, for work that assumes a single writer (imports,
 * signing batches). A failed task does not stop the ones after it.
 */
export function serialized() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
