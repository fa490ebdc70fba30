/**
 * Gathers calls into batches: the calls made in one turn of the event loop, or while
 * `maxInFlight` batches are already running, go to `run` together (at most `maxItems` at a time).
 * Under light load a call waits only for the current turn to end; under a rush, the calls that
 * queue behind running batches share one. `run` answers one result per item, in order; if it
 * throws, every call of that batch rejects with its error.
 */
export function batched<I, O>(run: (items: I[]) => Promise<O[]>, opts: { maxItems: number; maxInFlight: number }) {
  let queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (queue.length && inFlight < opts.maxInFlight) {
      const batch = queue.slice(0, opts.maxItems);
      queue = queue.slice(batch.length);
      inFlight++;
      run(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i])),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
  };
  const schedule = () => {
    if (scheduled || !queue.length) return;
    scheduled = true;
    setImmediate(flush);
  };

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
