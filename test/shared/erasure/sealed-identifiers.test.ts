import { describe, expect, it } from 'vitest';
import { createIdentifierSealer } from '../../../shared/erasure/sealed-identifiers';

const secret = 'a-test-secret-of-sixteen-bytes';
const person = { phone: '+61491570156', email: 'jo@example.com' };

describe('sealed identifiers', () => {
  it('opens what it sealed for the same request, and holds nothing in clear', () => {
    const sealer = createIdentifierSealer(secret);
    const sealed = sealer.seal('er00000000000000000001', person);
    expect(sealed).not.toContain('491570156');
    expect(sealed).not.toContain('example.com');
    expect(sealer.open('er00000000000000000001', sealed)).toEqual(person);
    // A fresh IV each time.
    expect(sealer.seal('er00000000000000000001', person)).not.toBe(sealed);
  });

  it('refuses another request id, another key or a changed byte, without quoting anything', () => {
    const sealed = createIdentifierSealer(secret).seal('er00000000000000000001', person);
    expect(() => createIdentifierSealer(secret).open('er00000000000000000002', sealed)).toThrow(/do not open/);
    expect(() => createIdentifierSealer('another-secret-of-16-bytes').open('er00000000000000000001', sealed)).toThrow(/do not open/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const tampered = [parts[0], parts[1], body.toString('base64url'), parts[3]].join('.');
    try {
      createIdentifierSealer(secret).open('er00000000000000000001', tampered);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(tampered);
    }
    expect(() => createIdentifierSealer(secret).open('er00000000000000000001', 'v2.x.y.z')).toThrow(/unknown format/);
  });
});
