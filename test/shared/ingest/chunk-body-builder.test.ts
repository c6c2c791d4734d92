import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkBodyBuilder } from '../../../shared/ingest/chunk-body-builder';
import type { ChunkLead } from '../../../shared/ingest/messages';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const lead: fc.Arbitrary<ChunkLead> = fc.record(
  {
    line: fc.integer({ min: 2, max: 10_000_000 }),
    lead: fc.record(
      {
        listId: fc.integer({ min: 1, max: 2 ** 31 }),
        phone1: fc.stringMatching(/^\+61[0-9]{9}$/),
        phone2: fc.stringMatching(/^\+61[0-9]{9}$/),
        customerKey: text,
        timezone: fc.constantFrom('Australia/Sydney', 'Australia/Perth'),
        nextAttemptTimestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        statusCode: fc.integer({ min: 0, max: 99 }),
        leadData: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(text, fc.string({ unit: 'binary', maxLength: 20 }))),
      },
      { requiredKeys: ['listId', 'phone1', 'leadData'] },
    ),
  },
  { requiredKeys: ['line', 'lead'] },
) as fc.Arbitrary<ChunkLead>;

describe('ChunkBodyBuilder', () => {
  it('builds exactly the bytes of JSON.stringify of the body, whatever the leads (lone surrogates, quotes, emoji)', () => {
    fc.assert(
      fc.property(fc.array(lead, { maxLength: 30 }), fc.string({ maxLength: 20 }), fc.nat(99_999), (leads, uploadId, chunk) => {
        const builder = new ChunkBodyBuilder();
        for (const l of leads) builder.add(l);
        expect(builder.count).toBe(leads.length);
        const expected = Buffer.from(JSON.stringify({ schemaVersion: 1, uploadId, chunk, leads }), 'utf8');
        expect(builder.body(uploadId, chunk).equals(expected)).toBe(true);
        expect(builder.leads()).toEqual(JSON.parse(JSON.stringify(leads)));
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its first buffer and starts afresh after clear', () => {
    const builder = new ChunkBodyBuilder();
    const big = (i: number): ChunkLead => ({ line: i + 2, lead: { listId: 1, phone1: '+61412345678', leadData: { notes: 'é'.repeat(2000) } } });
    const leads = Array.from({ length: 200 }, (_, i) => big(i));
    for (const l of leads) builder.add(l);
    expect(builder.body('u', 3).toString('utf8')).toBe(JSON.stringify({ schemaVersion: 1, uploadId: 'u', chunk: 3, leads }));
    builder.clear();
    expect(builder.count).toBe(0);
    builder.add(leads[0]!);
    expect(builder.body('u', 4).toString('utf8')).toBe(JSON.stringify({ schemaVersion: 1, uploadId: 'u', chunk: 4, leads: [leads[0]] }));
  });
});
