import { describe, expect, it } from 'vitest';
import type { ErasureRequestRecord } from '../../../shared/erasure/erasure-request';
import { receiptOf, receiptsCsv } from '../../../shared/erasure/receipt';

const zero = {
  callData: { activitiesOverwritten: 0, callResultsOverwritten: 0, voiceRecordingsDeleted: 0 },
  emailData: { inboundEmailsOverwritten: 0, outboundEmailsOverwritten: 0 },
  leadData: { leadsDeleted: 0 },
};

const record: ErasureRequestRecord = {
  requestId: 'er00000000000000000001',
  status: 'completed',
  jurisdiction: 'GDPR',
  externalId: 'T-1',
  requestedBy: 'arn:aws:sts::1:assumed-role/privacy/officer',
  receivedAt: '2026-11-01T00:00:00.000Z',
  dueAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  completedAt: '2026-11-02T00:00:00.000Z',
  suppressedAt: '2026-11-01T00:00:30.000Z',
  kinds: ['phone', 'email'],
  hashes: { phone: 'HASH-P', email: 'HASH-E' },
  round: 2,
  attempts: 0,
  calls: {
    'r1-phone': { kind: 'phone', round: 1, at: '2026-11-01T00:01:00.000Z', counts: { ...zero, leadData: { leadsDeleted: 2 } }, nothingHeld: false },
    'r2-phone': { kind: 'phone', round: 2, at: '2026-11-01T00:09:00.000Z', counts: { ...zero, leadData: { leadsDeleted: 1 } }, nothingHeld: false },
    'r1-email': { kind: 'email', round: 1, at: '2026-11-01T00:01:00.000Z', counts: zero, nothingHeld: true },
  },
  purge: {
    objects: [{ bucket: 'b', key: 'incoming/1/a.csv', kind: 'upload', action: 'rewritten', rowsRemoved: 1, versionsDeleted: 1 }],
    indexEntriesDeleted: 2,
    notYetPurged: ['backups'],
  },
  audit: [{ at: '2026-11-01T00:00:00.000Z', actor: 'officer', action: 'received' }],
};

describe('receipts', () => {
  it('sums the counts of every round per identifier, in round order', () => {
    const receipt = receiptOf(record);
    const phone = receipt.identifiers.find((i) => i.kind === 'phone')!;
    expect(phone.counts.leadData.leadsDeleted).toBe(3);
    expect(phone.calls.map((c) => c.round)).toEqual([1, 2]);
    expect(phone.nothingHeld).toBe(false);
    expect(receipt.identifiers.find((i) => i.kind === 'email')!.nothingHeld).toBe(true);
    expect(receipt.ourData?.objects).toHaveLength(1);
    expect(receipt.suppressedAt).toBe('2026-11-01T00:00:30.000Z');
  });

  it('exports one CSV row per identifier, with a BOM and the hashes only', () => {
    const csv = receiptsCsv([receiptOf(record)]);
    const lines = csv.replace('\ufeff', '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('er00000000000000000001,T-1,GDPR,completed');
    expect(lines[1]).toContain('phone,HASH-P,2,3');
    expect(lines[2]).toContain('email,HASH-E,1,0');
    expect(lines[1]!.endsWith(',1,0,1')).toBe(true);
  });
});
