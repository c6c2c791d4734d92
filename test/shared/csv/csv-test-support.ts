/**
 * Helpers for the CSV tests: byte sources cut into chosen chunks, and reading a whole file.
 */
import type { ByteSource } from '../../../shared/csv/byte-source';
import { openCsv, type CsvFile, type OpenCsvOptions } from '../../../shared/csv/csv-reader';
import type { CsvRecord } from '../../../shared/csv/csv-record';

/** The bytes as a stream of `size`-byte chunks (1 by default: every boundary is exercised). */
export async function* chunksOf(bytes: Uint8Array, size = 1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The bytes cut at the given offsets (out-of-range and repeated cuts are ignored). */
export async function* cutAt(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  let from = 0;
  for (const p of [...points, bytes.length]) {
    yield bytes.subarray(from, p);
    from = p;
  }
}

/** A source that yields exactly these chunks. */
export function sourceOf(...chunks: Uint8Array[]): ByteSource {
  return (async function* () {
    yield* chunks;
  })();
}

export interface ReadResult {
  readonly file: CsvFile;
  readonly records: CsvRecord[];
}

/** Opens and reads every record. */
export async function readCsv(source: ByteSource | Uint8Array | string, options?: OpenCsvOptions): Promise<ReadResult> {
  const input = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const file = await openCsv(input instanceof Uint8Array ? sourceOf(input) : input, options);
  const records: CsvRecord[] = [];
  for await (const record of file.records) records.push(record);
  return { file, records };
}

/** Just the fields of each record. */
export async function readRows(source: ByteSource | Uint8Array | string, options?: OpenCsvOptions): Promise<string[][]> {
  const { file, records } = await readCsv(source, options);
  return [[...file.header], ...records.map((r) => r.fields)];
}
