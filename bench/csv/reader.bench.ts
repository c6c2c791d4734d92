/**
 * CSV reader throughput against bare csv-parse, the speed the ingest path is measured by (it must
 * keep at least half of it).
 *
 * 100k generated lead rows (10 columns, quoted addresses, some escaped quotes and multi-line notes,
 * accented names) from a fixed seed, in memory, fed as 64 KiB chunks like an S3 body. Bare csv-parse
 * is its Transform stream consumed with `for await`, as a plain user would write it; the reader is
 * `openCsv(...).records` doing everything it does (encoding, lines, problems, offsets). The reader
 * also runs on the same rows in Windows-1252 and UTF-16LE. Prints figures, never asserts.
 *
 * Run: `node --import tsx bench/csv/reader.bench.ts` (or `npm run bench -- csv`).
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { openCsv } from '../../shared/csv/csv-reader';
import { formatCsvRow } from '../../shared/csv/csv-writer';
import { mulberry32 } from '../../local/simulator/random';

const ROWS = 100_000;
const CHUNK = 64 * 1024;
const RUNS = 7;

// mulberry32: a fixed seed keeps runs comparable.
// The simulator's seeded mulberry32, so each run generates the same inputs.
const random = mulberry32(0xc5f);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

const firstNames = ['Ann', 'Bob', 'Zoë', 'René', 'Chloé', 'Liam', 'Mia', 'Noah', 'Olivia', 'Jack'];
const lastNames = ['Smith', 'Nguyen', 'Müller', 'García', 'Brown', 'Wilson', 'Taylor', "O'Brien"];
const cities = ['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide', 'Hobart', 'Darwin'];

function table(): string[][] {
  const rows: string[][] = [['first_name', 'last_name', 'phone1', 'email', 'address', 'city', 'postcode', 'notes', 'source', 'campaign']];
  for (let i = 0; i < ROWS; i++) {
    const first = pick(firstNames);
    const last = pick(lastNames);
    const r = random();
    const notes = r < 0.05 ? `said "call me" after ${digits(1)}pm` : r < 0.06 ? 'line one\r\nline two' : r < 0.5 ? '' : 'interested';
    rows.push([
      first,
      last,
      `04${digits(2)} ${digits(3)} ${digits(3)}`,
      `${first.toLowerCase()}.${i}@example.com`,
      `${1 + Math.floor(random() * 300)} ${pick(['Main', 'High', 'George', 'King'])} St, Unit ${digits(1)}`,
      pick(cities),
      digits(4),
      notes,
      pick(['web', 'event', 'referral']),
      `C${i % 7}`,
    ]);
  }
  return rows;
}

function chunks(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, i + CHUNK));
  return out;
}

async function bareCsvParse(input: Buffer[]): Promise<number> {
  let n = 0;
  for await (const _ of Readable.from(input).pipe(parse())) n++;
  return n - 1;
}

async function reader(input: Buffer[]): Promise<number> {
  const file = await openCsv(Readable.from(input));
  let n = 0;
  for await (const record of file.records) if (record.problem === undefined) n++;
  return n;
}

interface Variant {
  readonly name: string;
  readonly run: () => Promise<number>;
  readonly wall: number[];
  readonly cpu: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rate = (x: number): string => Math.round(x).toLocaleString('en-AU').padStart(9);

const text = table()
  .map((r) => formatCsvRow(r, { escapeFormulas: false }))
  .join('');
const utf8 = Buffer.from(text, 'utf8');
const cp1252 = Buffer.from(text, 'latin1'); // the generated text is all Latin-1
const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le');
console.log(`${ROWS.toLocaleString('en-AU')} rows, ${(utf8.length / 1e6).toFixed(1)} MB UTF-8, ${CHUNK / 1024} KiB chunks, median of ${RUNS} interleaved runs`);

const variants: Variant[] = [
  { name: 'bare csv-parse (Transform, utf-8)', run: () => bareCsvParse(chunks(utf8)), wall: [], cpu: [] },
  { name: 'openCsv utf-8', run: () => reader(chunks(utf8)), wall: [], cpu: [] },
  { name: 'openCsv windows-1252', run: () => reader(chunks(cp1252)), wall: [], cpu: [] },
  { name: 'openCsv utf-16le', run: () => reader(chunks(utf16)), wall: [], cpu: [] },
];
for (const v of variants) await v.run(); // warm-up
// Interleaved rounds, so that a busy machine slows every variant alike. CPU time (this process) is
// printed beside wall time: on a shared machine it is the steadier of the two.
for (let round = 0; round < RUNS; round++) {
  for (const v of variants) {
    (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const rows = await v.run();
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    if (rows !== ROWS) throw new Error(`${v.name}: ${rows} rows, expected ${ROWS}`);
    v.wall.push(rows / seconds);
    v.cpu.push(rows / ((used.user + used.system) / 1e6));
  }
}
const [bare] = variants as [Variant];
for (const v of variants) {
  const share = v === bare ? '' : `   (${Math.round((100 * median(v.wall)) / median(bare.wall))} % / ${Math.round((100 * median(v.cpu)) / median(bare.cpu))} % of bare)`;
  console.log(`${v.name.padEnd(34)} ${rate(median(v.wall))} rows/s wall   ${rate(median(v.cpu))} rows/s CPU${share}`);
}
