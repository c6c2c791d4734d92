import { describe, expect, it } from 'vitest';
import { isRequestFileKey, requestFileReportKey } from '../../../shared/erasure/request-file-intake';

describe('request file keys', () => {
  it('reads only CSVs under requests/', () => {
    expect(isRequestFileKey('requests/batch.csv')).toBe(true);
    expect(isRequestFileKey('requests/2026/11/batch.csv')).toBe(true);
    for (const key of ['requests/.csv', 'requests/batch.txt', 'reports/batch.v1.csv', 'incoming/batch.csv']) expect(isRequestFileKey(key), key).toBe(false);
  });

  it('reports outside requests/, named after the file and its version, so a report never notifies the intake', () => {
    expect(requestFileReportKey('requests/2026-11/batch.csv', 'v1')).toBe('reports/2026-11/batch.v1.csv');
    // A version id is made key-safe.
    expect(requestFileReportKey('requests/a.csv', 'x/y+z')).toBe('reports/a.x_y_z.csv');
    expect(isRequestFileKey(requestFileReportKey('requests/a.csv', 'v'))).toBe(false);
  });
});
