import { describe, expect, it } from 'vitest';
import { chunkItemKey, contentClaimItemKey, keyAliasItemKey, leadClaimItemKey, uploadItemKey } from '../../../shared/aws/dynamo-upload-keys';

describe('upload store keys', () => {
  it('follow the documented design', () => {
    expect(uploadItemKey('u-1')).toEqual({ pk: 'UPLOAD#u-1', sk: 'META' });
    expect(chunkItemKey('u-1', 42)).toEqual({ pk: 'UPLOAD#u-1', sk: 'CHUNK#000042' });
    expect(keyAliasItemKey('b', 'incoming/1/a b.csv')).toEqual({ pk: 'KEY#b/incoming/1/a b.csv', sk: 'LATEST' });
    expect(contentClaimItemKey('abc', 7)).toEqual({ pk: 'CONTENT#abc#7', sk: 'CLAIM' });
    expect(contentClaimItemKey('abc', undefined)).toEqual({ pk: 'CONTENT#abc#none', sk: 'CLAIM' });
    expect(leadClaimItemKey(7, 'h')).toEqual({ pk: 'LEAD#7#h', sk: 'CLAIM' });
  });

  it('chunk sort keys sort in chunk order', () => {
    const numbers = [0, 1, 2, 9, 10, 99, 100, 12_345, 999_999];
    const sorted = numbers.map((n) => chunkItemKey('u', n).sk).sort();
    expect(sorted).toEqual(numbers.map((n) => chunkItemKey('u', n).sk));
  });

  it('refuse chunk numbers the padding cannot sort, and empty hashes', () => {
    for (const bad of [-1, 1.5, 1_000_000, Number.NaN]) expect(() => chunkItemKey('u-1', bad)).toThrow(/chunk number .* \(upload u-1\)/);
    expect(() => leadClaimItemKey(7, '')).toThrow(/empty/);
  });
});
