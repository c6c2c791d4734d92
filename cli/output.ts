/**
 * The one way commands talk to the user. Progress always goes to stderr; the result goes to stdout,
 * as human text, or with `--json` as exactly one JSON document and nothing else.
 */

/** Where output goes (process.stdout/stderr in the CLI, buffers in tests). */
export interface OutputStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** A command's output. */
export interface Io {
  /** True with `--json`. */
  readonly json: boolean;
  /** A progress line on stderr (never personal data or keys). */
  progress(message: string): void;
  /**
   * The command's result, once: with `--json` the value as the one JSON document on stdout, otherwise
   * `human` (if given) on stdout.
   */
  result(value: unknown, human?: string): void;
  /** Whether {@link Io.result} has been called. */
  readonly hasResult: boolean;
}

/** Creates the output for one command run. */
export function createIo(json: boolean, streams: OutputStreams): Io {
  let hasResult = false;
  return {
    json,
    progress(message) {
      streams.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
    },
    result(value, human) {
      // A second document would break every consumer parsing stdout as one JSON value.
      if (hasResult) throw new Error('a command produced two results');
      hasResult = true;
      if (json) streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (human) streams.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
    },
    get hasResult() {
      return hasResult;
    },
  };
}

/** The JSON document written when a command fails under `--json`, so stdout still holds exactly one. */
export function errorDocument(exitCode: number, message: string): { error: { exitCode: number; message: string } } {
  return { error: { exitCode, message } };
}
