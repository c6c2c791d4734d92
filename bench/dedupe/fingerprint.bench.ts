/**
 * Fingerprint throughput: HMAC-SHA256 through node:crypto (keyed-hash.ts, one createHmac per call)
 * against the SipHash-2-4 fingerprinter, on the identifiers an ingest row needs fingerprints of:
 * list id + E.164 mobile and list id + customer key (in-file dedupe), and a phone and an email alone
 * (suppression check).
 *
 * A million leads from a fixed seed (AU mobiles, customer keys like CUST-0012345, emails). Each SipHash
 * case runs five times, interleaved with the others, and the median is printed; HMAC is slow enough
 * that one run of each case says enough. Rates are given per wall second and per CPU second of this
 * process: on a shared machine the second is the steadier. Prints, never asserts.
 *
 * Run: `node --import tsx bench/dedupe/fingerprint.bench.ts [--count=1000000]` (or `npm run bench -- fingerprint`).
 */
import { DedupeIndex } from '../../shared/dedupe/dedupe-index';
import { createFingerprinter } from '../../shared/dedupe/fingerprinter';
import { createKeyedHasher, fingerprintHigh, fingerprintLow } from '../../shared/dedupe/keyed-hash';
import { siphash24Into, sipHashKey } from '../../shared/dedupe/siphash';
import { mulberry32 } from '../../local/simulator/random';

const COUNT = Number(/^--count=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--count=')) ?? '')?.[1] ?? 1_000_000);
const SIPHASH_RUNS = 5;
// A bench-only secret; real ones come from Secrets Manager.
const SECRET = 'bench-secret-0123456789abcdef0123456789';

// mulberry32: a fixed seed keeps runs comparable.
// The simulator's seeded mulberry32, so each run generates the same inputs.
const random = mulberry32(0xf1a9e7);
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const LIST_IDS = ['1042', '1043', '2001', '20417'];
const FIRST = ['jane', 'john', 'mia', 'oliver', 'charlotte', 'jack', 'amelia', 'noah', 'isla', 'wei', 'priya', 'zoë'];
const LAST = ['smith', 'nguyen', 'jones', 'williams', 'brown', 'wilson', 'taylor', 'singh', 'chen', 'o.neill'];
const DOMAINS = ['gmail.com', 'outlook.com', 'bigpond.net.au', 'icloud.com', 'optusnet.com.au', 'example.com.au'];

// Strings built by concatenation are ropes until first read; cells a CSV parser decodes are flat, so
// each value goes through a decode as a parsed cell would.
function asDecoded(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

const listIds: string[] = [];
const phones: string[] = [];
const customerKeys: string[] = [];
const emails: string[] = [];
for (let i = 0; i < COUNT; i++) {
  listIds.push(pick(LIST_IDS));
  phones.push(asDecoded(`+614${String(Math.floor(random() * 1e8)).padStart(8, '0')}`));
  customerKeys.push(asDecoded(`CUST-${String(Math.floor(random() * 1e7)).padStart(7, '0')}`));
  // About one in twelve has a non-ASCII letter (zoë), which takes the TextEncoder path.
  emails.push(asDecoded(`${pick(FIRST)}.${pick(LAST)}${Math.floor(random() * 100)}@${pick(DOMAINS)}`));
}

// Labels as a caller would choose them; the HMAC cases hash them as a first part, as keyed-hash.ts callers do.
const hmac = createKeyedHasher(SECRET);
const inFilePhone = createFingerprinter(SECRET, 'in-file-phone/v1');
const inFileCustomer = createFingerprinter(SECRET, 'in-file-customer-key/v1');
const suppression = createFingerprinter(SECRET, 'suppression/v1');

// Every case folds its fingerprints into a checksum, so no work can be optimised away.
interface Case {
  name: string;
  note?: string;
  run: () => number;
}

const hmacCases: Case[] = [
  {
    name: 'HMAC-SHA256  list id + phone',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        const digest = hmac('lead-phone/v1', listIds[i]!, phones[i]!);
        sum ^= fingerprintHigh(digest) ^ fingerprintLow(digest);
      }
      return sum;
    },
  },
  {
    name: 'HMAC-SHA256  list id + customer key',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        const digest = hmac('lead-customer-key/v1', listIds[i]!, customerKeys[i]!);
        sum ^= fingerprintHigh(digest) ^ fingerprintLow(digest);
      }
      return sum;
    },
  },
  {
    name: 'HMAC-SHA256  phone',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        const digest = hmac('suppression-phone/v1', phones[i]!);
        sum ^= fingerprintHigh(digest) ^ fingerprintLow(digest);
      }
      return sum;
    },
  },
  {
    name: 'HMAC-SHA256  email',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        const digest = hmac('suppression-email/v1', emails[i]!);
        sum ^= fingerprintHigh(digest) ^ fingerprintLow(digest);
      }
      return sum;
    },
  },
];

// The SipHash core alone on list id + phone already encoded, to show what the UTF-8 encoding costs.
// Plain Uint8Array views, not Buffers: a second array class would make the hash's loads polymorphic.
const encoded = phones.map((phone, i) =>
  Uint8Array.from(Buffer.concat([Buffer.from(listIds[i]!), Buffer.from([0xff]), Buffer.from(phone)])),
);
const coreKey = sipHashKey(new Uint8Array(16).fill(7));
const coreOut = new Uint32Array(2);

const sipCases: Case[] = [
  {
    name: 'SipHash      list id + phone',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) sum ^= inFilePhone.fingerprintParts(listIds[i]!, phones[i]!) ^ inFilePhone.lo;
      return sum;
    },
  },
  {
    name: 'SipHash      list id + customer key',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) sum ^= inFileCustomer.fingerprintParts(listIds[i]!, customerKeys[i]!) ^ inFileCustomer.lo;
      return sum;
    },
  },
  {
    name: 'SipHash      phone',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) sum ^= suppression.fingerprint(phones[i]!) ^ suppression.lo;
      return sum;
    },
  },
  {
    name: 'SipHash      email',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) sum ^= suppression.fingerprint(emails[i]!) ^ suppression.lo;
      return sum;
    },
  },
  {
    name: 'SipHash core list id + phone, pre-encoded',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        const bytes = encoded[i]!;
        siphash24Into(coreKey, bytes, bytes.length, coreOut);
        sum ^= coreOut[0]! ^ coreOut[1]!;
      }
      return sum;
    },
  },
  {
    name: 'SipHash      row: 2 dedupe + phone + email',
    note: 'rows/s: 4 fingerprints a row',
    run: () => {
      let sum = 0;
      for (let i = 0; i < COUNT; i++) {
        sum ^= inFilePhone.fingerprintParts(listIds[i]!, phones[i]!) ^ inFilePhone.lo;
        sum ^= inFileCustomer.fingerprintParts(listIds[i]!, customerKeys[i]!) ^ inFileCustomer.lo;
        sum ^= suppression.fingerprint(phones[i]!) ^ suppression.lo;
        sum ^= suppression.fingerprint(emails[i]!) ^ suppression.lo;
      }
      return sum;
    },
  },
];

interface Timing {
  wallMs: number;
  cpuMs: number;
  checksum: number;
}

function time(run: () => number): Timing {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const checksum = run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, checksum };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function rate(items: number, ms: number): number {
  return items / ms / 1000;
}

function line(name: string, items: number, wallMs: number, cpuMs: number, note = ''): string {
  const wall = rate(items, wallMs).toFixed(2).padStart(7);
  const cpu = rate(items, cpuMs).toFixed(2).padStart(7);
  return `  ${name.padEnd(44)} ${wall} M/s wall ${cpu} M/s CPU  ${note}`;
}

console.log(`fingerprints of ${COUNT.toLocaleString('en-AU')} leads, millions a second (SipHash: median of ${SIPHASH_RUNS} runs; node ${process.version})`);

const hmacRates = new Map<string, number>();
for (const c of hmacCases) {
  const t = time(c.run);
  hmacRates.set(c.name.slice('HMAC-SHA256  '.length), rate(COUNT, t.cpuMs));
  console.log(line(c.name, COUNT, t.wallMs, t.cpuMs, `(1 run, ${t.wallMs.toFixed(0)} ms)`));
}

const timings = new Map<Case, Timing[]>(sipCases.map((c) => [c, []]));
for (let r = 0; r < SIPHASH_RUNS; r++) for (const c of sipCases) timings.get(c)!.push(time(c.run));
for (const c of sipCases) {
  const runs = timings.get(c)!;
  const wallMs = median(runs.map((t) => t.wallMs));
  const cpuMs = median(runs.map((t) => t.cpuMs));
  const hmacRate = hmacRates.get(c.name.slice('SipHash      '.length));
  const note =
    hmacRate !== undefined ? `${(rate(COUNT, cpuMs) / hmacRate).toFixed(0)}x HMAC (CPU)` : c.note ?? '';
  console.log(line(c.name, COUNT, wallMs, cpuMs, note));
}

// In-file dedupe end to end: two fingerprints and two index inserts a row, the counts checked against
// exact Sets of the key strings (a disagreement would be a fingerprint collision or a bug).
const phoneIndex = new DedupeIndex();
const customerIndex = new DedupeIndex();
const dedupe = time(() => {
  let firsts = 0;
  for (let i = 0; i < COUNT; i++) {
    if (phoneIndex.addWordsIfAbsent(inFilePhone.fingerprintParts(listIds[i]!, phones[i]!), inFilePhone.lo)) firsts++;
    if (customerIndex.addWordsIfAbsent(inFileCustomer.fingerprintParts(listIds[i]!, customerKeys[i]!), inFileCustomer.lo)) firsts++;
  }
  return firsts;
});
const exactPhones = new Set(phones.map((p, i) => `${listIds[i]}|${p}`)).size;
const exactCustomers = new Set(customerKeys.map((k, i) => `${listIds[i]}|${k}`)).size;
console.log(line('SipHash      row: 2 dedupe + 2 index inserts', COUNT, dedupe.wallMs, dedupe.cpuMs, 'rows/s, 1 run'));
console.log(
  `  distinct list+phone ${phoneIndex.size} (exact ${exactPhones}), list+customer key ${customerIndex.size} (exact ${exactCustomers})`,
);
