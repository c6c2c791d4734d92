/**
 * csv-parse driven through its push interface: bytes in, each record handed synchronously to a
 * callback while `info` (bytes, lines, empty lines) still describes that record.
 *
 * Why not the documented Transform stream: there, per-record positions are only available through
 * `info: true` or `on_record`, which allocate two copies of the info object per record (about a third
 * of csv-parse's own time in measurements), and records cross an extra object-mode stream. The
 * Transform delegates to `parser.api.parse(buf, end, push, close)`, the function csv-parse's sync and
 * Web-stream entry points call too; it is reached here through the Parser instance and checked at
 * construction, so a csv-parse upgrade that moves it fails loudly (csv-parse is pinned to 7.0.3).
 *
 * Options and why:
 * - `record_delimiter: ['\r\n', '\n', '\r']`: any of the three ends a line, even mixed in one file
 *   (csv-parse's auto-detection fixes on the first one it sees).
 * - `relax_quotes`: a stray quote is kept as text and parsing goes on; the reader flags the row. The
 *   strict mode's recovery is worse: after `"ab"c` it stays inside the quote and eats later rows.
 * - `relax_column_count`: rows of the wrong width are yielded; the reader flags them.
 * - `skip_empty_lines`: a line with nothing on it is no row (`,,` is one: a row of empty fields).
 * - `bom: false`: the reader strips the byte order mark itself, before transcoding.
 * - `max_record_size`: bounds memory when a quote is never closed.
 */
import { Parser, type Info } from 'csv-parse';

/** csv-parse's push-style parse function, as the Transform, sync and stream entry points use it. */
interface PushApi {
  readonly info: Info;
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

export interface PushParserOptions {
  readonly delimiter: string;
  readonly encoding: 'utf8' | 'latin1';
  /** Longest record, in bytes (csv-parse counts field characters plus pending bytes). */
  readonly maxRecordSize: number;
}

/** A csv-parse instance fed chunk by chunk. */
export interface PushParser {
  /** csv-parse's live counters; during `push` they describe the record being pushed. */
  readonly info: Info;
  /** Parses a chunk; records go to `push`. Returns csv-parse's error instead of throwing. */
  write(chunk: Buffer, push: (record: string[]) => void): Error | undefined;
  /** Parses what is left at the end of the input. */
  end(push: (record: string[]) => void): Error | undefined;
}

const noop = (): void => {};

/**
 * A csv-parse instance with the reader's options.
 * @throws Error when the installed csv-parse no longer has the push interface
 */
export function createPushParser(options: PushParserOptions): PushParser {
  const parser = new Parser({
    delimiter: options.delimiter,
    encoding: options.encoding,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: false,
    max_record_size: options.maxRecordSize,
  });
  const api = (parser as unknown as { api?: Partial<PushApi> }).api;
  if (api === undefined || typeof api.parse !== 'function' || api.info !== parser.info) {
    throw new Error('csv-parse has no push interface (Parser#api.parse) any more: check the csv-parse version (7.0.3 expected)');
  }
  const pushApi = api as PushApi;
  return {
    info: parser.info,
    write: (chunk, push) => pushApi.parse(chunk, false, push, noop),
    end: (push) => pushApi.parse(undefined, true, push, noop),
  };
}
