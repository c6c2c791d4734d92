import { describe, expect, it } from 'vitest';
import { RetainedBytes } from '../../../shared/csv/retained-bytes';

describe('RetainedBytes', () => {
  const filled = (): RetainedBytes => {
    const r = new RetainedBytes();
    for (const part of ['abc', '', 'de', 'fghij']) r.append(Buffer.from(part));
    return r;
  };

  it('slices within a chunk without copying, and across chunks', () => {
    const r = filled();
    expect(r.end).toBe(10);
    expect(r.slice(0, 3).toString()).toBe('abc');
    expect(r.slice(1, 9).toString()).toBe('bcdefghi');
    expect(r.slice(5, 10).toString()).toBe('fghij');
    expect(r.slice(4, 4)).toHaveLength(0);
  });

  it('forgets chunks that end before an offset, and refuses to slice them', () => {
    const r = filled();
    r.release(5);
    expect(r.slice(5, 7).toString()).toBe('fg');
    expect(() => r.slice(4, 6)).toThrow(RangeError);
    r.release(9);
    expect(r.slice(9, 10).toString()).toBe('j');
  });

  it('refuses bytes not yet appended', () => {
    const r = filled();
    expect(() => r.slice(8, 11)).toThrow(RangeError);
    expect(() => r.slice(10, 11)).toThrow(RangeError);
  });
});
