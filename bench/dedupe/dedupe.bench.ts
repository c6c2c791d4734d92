/**
 * Dedupe index cost: a million leads' phone keys (list id + E.164 mobile) and customer keys, held as
 * keyed-hash fingerprints in two DedupeIndex tables against two exact Sets of the key strings.
 *
 * Memory is measured in a fresh child process per structure (`--expose-gc`, a collection before each
 * reading) so one structure's freed pages do not hide the other's; the figure that matters is heap +
 * array buffers (the index lives in an ArrayBuffer, outside the JS heap). Keys come from a fixed seed,
 * with the duplicates random draws give (about 5 000 phones in a million). Prints, never asserts.
 *
 * Run: `node --import tsx bench/dedupe/dedupe.bench.ts [--count=1000000]`
 * (the memory children are started with --expose-gc by the bench itself).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DedupeIndex } from '../../shared/dedupe/dedupe-index';
import { createKeyedHasher, fingerprint64, fingerprintHigh, fingerprintLow } from '../../shared/dedupe/keyed-hash';
import { customerKeyDedupeDigest, phoneDedupeDigest } from '../../shared/dedupe/lead-dedupe-keys';

const COUNT = Number(/^--count=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--count=')) ?? '')?.[1] ?? 1_000_000);
const MEASURE = process.argv.find((a) => a.startsWith('--measure='))?.slice('--measure='.length);
// A bench-only secret; real ones come from Secrets Manager.
const hash = createKeyedHasher('bench-secret-0123456789abcdef0123456789');
const LIST_IDS = [1042, 1043, 2001, 2002];

// mulberry32: a fixed seed makes every phase see the same keys.
let seed = 0;
function reseed(): void {
  seed = 0xdedc0de;
}
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface LeadKeys {
  listId: number;
  e164: string;
  customerKey: string;
}
function nextLead(): LeadKeys {
  const listId = LIST_IDS[Math.floor(random() * LIST_IDS.length)]!;
  const e164 = `+614${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
  const customerKey = `CUS-${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
  return { listId, e164, customerKey };
}

interface Memory {
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
}
function memory(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

interface Measured {
  structure: string;
  heapMb: number;
  arrayBuffersMb: number;
  rssMb: number;
  seconds: number;
  duplicates: [number, number];
  gc: boolean;
}

/** One child process: build one structure over COUNT leads and report its memory. */
function measure(structure: string): Measured {
  reseed();
  const before = memory();
  const started = performance.now();
  let duplicates: [number, number] = [0, 0];
  let keep: unknown;
  if (structure === 'index') {
    const phones = new DedupeIndex();
    const customers = new DedupeIndex();
    for (let i = 0; i < COUNT; i++) {
      const lead = nextLead();
      if (!phones.addDigestIfAbsent(phoneDedupeDigest(hash, lead.listId, lead.e164))) duplicates[0]++;
      if (!customers.addDigestIfAbsent(customerKeyDedupeDigest(hash, lead.listId, lead.customerKey))) duplicates[1]++;
    }
    keep = [phones, customers];
  } else {
    const phones = new Set<string>();
    const customers = new Set<string>();
    for (let i = 0; i < COUNT; i++) {
      const lead = nextLead();
      const phoneKey = `${lead.listId}|${lead.e164}`;
      const customerKey = `${lead.listId}|${lead.customerKey}`;
      if (phones.has(phoneKey)) duplicates[0]++;
      else phones.add(phoneKey);
      if (customers.has(customerKey)) duplicates[1]++;
      else customers.add(customerKey);
    }
    keep = [phones, customers];
  }
  const seconds = (performance.now() - started) / 1000;
  const after = memory();
  void keep;
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    structure,
    heapMb: mb(after.heapUsed - before.heapUsed),
    arrayBuffersMb: mb(after.arrayBuffers - before.arrayBuffers),
    rssMb: mb(after.rss - before.rss),
    seconds,
    duplicates,
    gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}

function runChild(structure: string): Measured {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', self, `--measure=${structure}`, `--count=${COUNT}`],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`memory child for ${structure} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measured;
}

function rate(count: number, ms: number): string {
  return `${((count / ms) * 1000 / 1e6).toFixed(2)} M/s`;
}

function throughput(): void {
  reseed();
  const leads: LeadKeys[] = [];
  for (let i = 0; i < COUNT; i++) leads.push(nextLead());

  let started = performance.now();
  const high = new Uint32Array(COUNT);
  const low = new Uint32Array(COUNT);
  for (let i = 0; i < COUNT; i++) {
    const digest = phoneDedupeDigest(hash, leads[i]!.listId, leads[i]!.e164);
    high[i] = fingerprintHigh(digest);
    low[i] = fingerprintLow(digest);
  }
  const hashMs = performance.now() - started;

  const index = new DedupeIndex();
  started = performance.now();
  for (let i = 0; i < COUNT; i++) index.addWordsIfAbsent(high[i]!, low[i]!);
  const insertMs = performance.now() - started;

  started = performance.now();
  let found = 0;
  for (let i = 0; i < COUNT; i++) if (index.hasWords(high[i]!, low[i]!)) found++;
  const lookupMs = performance.now() - started;

  const bigints = Array.from({ length: COUNT }, (_, i) => (BigInt(high[i]!) << 32n) | BigInt(low[i]!));
  const viaBigint = new DedupeIndex();
  started = performance.now();
  for (const fp of bigints) viaBigint.addIfAbsent(fp);
  const bigintMs = performance.now() - started;

  const presized = new DedupeIndex(COUNT);
  started = performance.now();
  for (let i = 0; i < COUNT; i++) presized.addWordsIfAbsent(high[i]!, low[i]!);
  const presizedMs = performance.now() - started;

  const strings = leads.map((lead) => `${lead.listId}|${lead.e164}`);
  const set = new Set<string>();
  started = performance.now();
  for (const key of strings) set.add(key);
  const setMs = performance.now() - started;

  started = performance.now();
  let endToEnd = 0;
  const fresh = new DedupeIndex();
  for (const lead of leads) if (fresh.addDigestIfAbsent(phoneDedupeDigest(hash, lead.listId, lead.e164))) endToEnd++;
  const endToEndMs = performance.now() - started;

  started = performance.now();
  const bytes = index.toBytes();
  const toBytesMs = performance.now() - started;
  started = performance.now();
  const copy = DedupeIndex.fromBytes(bytes);
  const fromBytesMs = performance.now() - started;

  console.log(`\nthroughput, ${COUNT.toLocaleString('en-AU')} phone keys (${index.size.toLocaleString('en-AU')} distinct)`);
  console.log(`  keyed hash (HMAC-SHA256) + fingerprint   ${rate(COUNT, hashMs)}  (${hashMs.toFixed(0)} ms)`);
  console.log(`  index insert, words, growing             ${rate(COUNT, insertMs)}  (${insertMs.toFixed(0)} ms)`);
  console.log(`  index insert, words, presized            ${rate(COUNT, presizedMs)}  (${presizedMs.toFixed(0)} ms)`);
  console.log(`  index insert, bigint, growing            ${rate(COUNT, bigintMs)}  (${bigintMs.toFixed(0)} ms)`);
  console.log(`  index lookup, words                      ${rate(COUNT, lookupMs)}  (${lookupMs.toFixed(0)} ms, ${found} found)`);
  console.log(`  hash + insert (addDigestIfAbsent)        ${rate(COUNT, endToEndMs)}  (${endToEndMs.toFixed(0)} ms)`);
  console.log(`  Set<string> insert, for comparison       ${rate(COUNT, setMs)}  (${setMs.toFixed(0)} ms, ${set.size} distinct)`);
  console.log(`  toBytes ${toBytesMs.toFixed(0)} ms, fromBytes ${fromBytesMs.toFixed(0)} ms, ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);
  console.log(`  agreement: index ${index.size} = Set ${set.size} = copy ${copy.size} = bigint ${viaBigint.size} = end-to-end ${endToEnd}; fingerprint of key 0 ${fingerprint64(phoneDedupeDigest(hash, leads[0]!.listId, leads[0]!.e164)) === bigints[0]}`);
}

if (MEASURE) {
  console.log(JSON.stringify(measure(MEASURE)));
} else {
  console.log(`dedupe bench: ${COUNT.toLocaleString('en-AU')} leads, two keys each (list + E.164 phone, list + customer key)`);
  console.log(`node ${process.version}, ${process.arch}\n`);
  console.log('memory, fresh process per structure (heap + array buffers after gc; RSS is indicative only)');
  const results = ['index', 'sets'].map(runChild);
  for (const r of results) {
    const total = r.heapMb + r.arrayBuffersMb;
    const label = r.structure === 'index' ? 'two DedupeIndex (keyed hash fingerprints)' : 'two Set<string> (exact keys)';
    console.log(
      `  ${label.padEnd(44)} heap ${String(r.heapMb).padStart(6)} MB + buffers ${String(r.arrayBuffersMb).padStart(5)} MB = ${total.toFixed(1).padStart(6)} MB` +
        `  (${(total / ((2 * COUNT) / 1e6)).toFixed(1)} MB per 1M keys), RSS +${r.rssMb} MB, built in ${r.seconds.toFixed(2)} s, duplicates ${r.duplicates.join(' / ')}${r.gc ? '' : ' [no gc]'}`,
    );
  }
  throughput();
}
