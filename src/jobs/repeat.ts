/** A task run now and then every `everyMs`, never two runs at once; stop() waits for a run in progress. */
export interface Repeating {
  /** Settles when the first run has ended (its error, if any, went to onError). */
  first: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `task` at once and then every `everyMs`. A run that is still going
 * when the next is due is not doubled: that turn is skipped. Errors go
 * to `onError` and the next run tries again. The timer does not keep the
 * process alive.
 */
export function repeat(everyMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): Repeating {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return running;
    running = task()
      .then(
        () => {},
        (err: unknown) => onError(err),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const first = tick() ?? Promise.resolve();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
