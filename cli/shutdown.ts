/**
 * Ctrl-C and SIGTERM for foreground commands: the first signal asks for an orderly stop, a second one
 * exits at once (the process guard's exit hook and the watchdogs still take the children down).
 */

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A pending stop request. */
export interface ShutdownRequest {
  /** Resolves with the first signal received. */
  readonly requested: Promise<NodeJS.Signals>;
  /** Removes the handlers (restoring Node's defaults). */
  dispose(): void;
}

/** Installs the handlers now, so a signal during start-up is not lost. */
export function listenForShutdown(onSignal?: (signal: NodeJS.Signals) => void): ShutdownRequest {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals): void => {
    if (received) {
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    }
    received = signal;
    onSignal?.(signal);
    resolve(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    requested,
    dispose() {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}
