import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageUri, sliceByCursor, uriPrefix } from '../../../local/simulator/cursor';

const items = Array.from({ length: 7 }, (_, i) => ({ id: (i + 1) * 10 }));
const idOf = (x: { id: number }) => x.id;

describe('cursor', () => {
  it('encodes base64 JSON that starts like the reference (eyJpZCI6)', () => {
    const cursor = encodeCursor({ id: 123 });
    expect(cursor.startsWith('eyJpZCI6')).toBe(true);
    expect(Buffer.from(cursor, 'base64').toString()).toBe('{"id":123}');
    expect(decodeCursor(cursor)).toEqual({ id: 123 });
    expect(decodeCursor(Buffer.from('{"id":123}').toString('base64'))).toEqual({ id: 123 });
    expect(decodeCursor('JHfgd37')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"id":"x"}').toString('base64'))).toBeUndefined();
  });

  it('slices forwards and backwards by id', () => {
    const first = sliceByCursor(items, idOf, undefined, 3);
    expect(first.items.map(idOf)).toEqual([10, 20, 30]);
    expect(first.previous).toBeNull();
    const second = sliceByCursor(items, idOf, decodeCursor(first.next!), 3);
    expect(second.items.map(idOf)).toEqual([40, 50, 60]);
    const third = sliceByCursor(items, idOf, decodeCursor(second.next!), 3);
    expect(third.items.map(idOf)).toEqual([70]);
    expect(third.next).toBeNull();
    expect(sliceByCursor(items, idOf, decodeCursor(third.previous!), 3).items.map(idOf)).toEqual([40, 50, 60]);
    expect(sliceByCursor(items, idOf, decodeCursor(second.previous!), 3).items.map(idOf)).toEqual([10, 20, 30]);
    // Exactly full last page: no next.
    expect(sliceByCursor(items.slice(0, 6), idOf, decodeCursor(first.next!), 3).next).toBeNull();
  });

  it('slices only matching items, with cursors that skip non-matching neighbours', () => {
    const even = (x: { id: number }) => (x.id / 10) % 2 === 0; // 20, 40, 60
    const first = sliceByCursor(items, idOf, undefined, 2, even);
    expect(first.items.map(idOf)).toEqual([20, 40]);
    expect(first.previous).toBeNull();
    const second = sliceByCursor(items, idOf, decodeCursor(first.next!), 2, even);
    expect(second.items.map(idOf)).toEqual([60]);
    expect(second.next).toBeNull(); // 70 is left but does not match
    expect(sliceByCursor(items, idOf, decodeCursor(second.previous!), 2, even).items.map(idOf)).toEqual([20, 40]);
    expect(sliceByCursor(items, idOf, undefined, 2, () => false)).toEqual({ items: [], next: null, previous: null });
  });

  it('writes URIs with the version prefix only, filters first and the cursor last', () => {
    expect(uriPrefix('/platform-api/v3.0')).toBe('/v3.0');
    expect(uriPrefix('')).toBe('');
    expect(pageUri('/v3.0', '/leads', { phone1: '+61491570156', cursor: 'old', listId: null }, 'eyJ')).toBe(
      '/v3.0/leads?phone1=%2B61491570156&cursor=eyJ',
    );
    expect(pageUri('/v3.0', '/leads', {}, null)).toBeNull();
  });
});
