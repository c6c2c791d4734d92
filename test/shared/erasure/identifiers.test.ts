import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLeadIdentifier } from '../../../shared/ingest/lead-identity';
import { normaliseIdentifiers } from '../../../shared/erasure/identifiers';
import { normalisePhone } from '../../../shared/leads/phone';

describe('normaliseIdentifiers', () => {
  it('normalises a phone to E.164 and an email to trimmed lower case', () => {
    expect(normaliseIdentifiers({ phone: '0412 345 678', email: '  Jo.Citizen@Example.COM ' })).toEqual({
      ok: true,
      identifiers: { phone: '+61412345678', email: 'jo.citizen@example.com' },
    });
  });

  it('needs at least one identifier', () => {
    expect(normaliseIdentifiers({})).toEqual({ ok: false, problems: [{ field: 'phone', message: 'give a phone or an email (or both)' }] });
    expect(normaliseIdentifiers({ phone: '  ', email: '' }).ok).toBe(false);
  });

  it('names the bad fields and never quotes them', () => {
    const result = normaliseIdentifiers({ phone: '0412 34', email: 'jo.at.example.com' });
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).toContain('"phone"');
    expect(text).toContain('"email"');
    expect(text).not.toContain('0412 34');
    expect(text).not.toContain('jo.at.example.com');
  });

  it('gives the identifier ingestion computes for the same number however it is written (property)', () => {
    const identity = createLeadIdentifier('a-test-secret-of-sixteen-bytes');
    const writings = fc.tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom('0', '+61 ', '61', '(0)'), fc.constantFrom(' ', '-', '', '.'));
    fc.assert(
      fc.property(writings, ([n, prefix, sep]) => {
        const digits = `4${String(n).padStart(8, '0')}`;
        const written = `${prefix}${digits.slice(0, 3)}${sep}${digits.slice(3, 6)}${sep}${digits.slice(6)}`;
        const ingest = normalisePhone(written);
        const erasure = normaliseIdentifiers({ phone: written });
        if (!ingest.ok) return !erasure.ok;
        return erasure.ok && erasure.identifiers.phone === ingest.e164 && identity.identifier(erasure.identifiers.phone) === identity.identifier(ingest.e164);
      }),
    );
  });
});

describe('person index keys', () => {
  it('are 16 hex digits of the fingerprint, the same for the same identifier and secret only', async () => {
    const { createPersonIndexKeys } = await import('../../../shared/erasure/person-index');
    const { createFingerprinter } = await import('../../../shared/dedupe/fingerprinter');
    const secret = 'a-test-secret-of-sixteen-bytes';
    const key = createPersonIndexKeys(secret).key('+61491570156');
    const fp = createFingerprinter(secret, 'person-index/v1');
    const hi = fp.fingerprint('+61491570156');
    expect(key).toBe(hi.toString(16).padStart(8, '0') + fp.lo.toString(16).padStart(8, '0'));
    expect(createPersonIndexKeys(secret).key('+61491570156')).toBe(key);
    expect(createPersonIndexKeys('another-secret-of-16-bytes').key('+61491570156')).not.toBe(key);
    expect(key).not.toContain('491570156');
  });
});
