/** The simulator's seeded random source, so fault decisions repeat from run to run. */

/** A source of numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny, fast 32-bit generator. Not for cryptography; good enough to spread faults.
 *
 * @example const next = mulberry32(42); next(); // same value on every run
 */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID drawn from a random source, so job ids repeat with the seed. */
export function uuidFrom(random: RandomSource): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
