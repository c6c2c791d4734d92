import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_MASK,
  PHONE_MASK,
  SECRET_MASK,
  VALUE_MASK,
  isPersonalDataKey,
  redactBodyExcerpt,
  redactJson,
  redactText,
  removeSecret,
} from '../../../shared/privacy/redact';

describe('redactText', () => {
  it.each([
    ['call 0412 345 678 today', `call ${PHONE_MASK} today`],
    ['+61 412 345 678', PHONE_MASK],
    ['(04) 1234 5678', PHONE_MASK],
    ['61412345678', PHONE_MASK],
    ['0011 61 412 345 678.', `${PHONE_MASK}.`],
    ['04-1234-5678', PHONE_MASK],
    ['tel:+61-2-9000-0000,', `tel:${PHONE_MASK},`],
    ['phone1=+61412345678&x=1', `phone1=${PHONE_MASK}&x=1`],
    ['write to jo.bloggs+leads@example.com.au.', `write to ${EMAIL_MASK}.`],
    ['ü.ser@exämple.de', EMAIL_MASK],
    ['"emailAddress":"a@b.co"', `"emailAddress":"${EMAIL_MASK}"`],
  ])('masks %j', (input, output) => {
    expect(redactText(input)).toBe(output);
  });

  it.each([
    'leadId 123456 not found',
    '2020-07-06T13:11:06+1000',
    '2020-07-06 13:11:06',
    'job 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed',
    'twitter @handle',
    'version 1.2.3',
    '',
  ])('leaves %j alone', (input) => {
    expect(redactText(input)).toBe(input);
  });

  it('masks an address and a phone that touch as one span', () => {
    expect(redactText('-@0400 000 000')).toBe(EMAIL_MASK);
    expect(redactText('john0412345678@example.com')).toBe(EMAIL_MASK);
    expect(redactText('a@b.co 0412 345 678')).toBe(`${EMAIL_MASK} ${PHONE_MASK}`);
  });

  it('masks a phone glued to a date or a word', () => {
    expect(redactText('2020-07-06 0412345678')).toBe(`2020-07-06 ${PHONE_MASK}`);
    expect(redactText('mobile0412345678')).toBe(`mobile${PHONE_MASK}`);
    expect(redactText('2020-07-060412345678')).toBe(PHONE_MASK);
  });

  it('stays linear on hostile input (no ReDoS)', () => {
    const hostile = ['a'.repeat(200_000) + '@', '@'.repeat(200_000), '1 '.repeat(100_000) + 'x', '('.repeat(200_000), 'a@'.repeat(100_000), '-1'.repeat(100_000)];
    const started = performance.now();
    for (const text of hostile) redactText(text);
    // Quadratic behaviour on 200k characters takes minutes; linear takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

/** Australian numbers as people write them. */
const auPhone = fc
  .tuple(
    fc.constantFrom('4', '2', '3', '7', '8'),
    fc.stringMatching(/^[0-9]{8}$/),
    fc.constantFrom('spaced', 'plus-spaced', 'parens', 'bare-61', 'plus-bare', 'dashed', 'intl-prefix', 'national-bare'),
  )
  .map(([lead, rest, format]) => {
    const nsn = lead + rest; // national significant number, 9 digits
    const [a, b, c] = lead === '4' ? [nsn.slice(0, 3), nsn.slice(3, 6), nsn.slice(6)] : [nsn.slice(0, 1), nsn.slice(1, 5), nsn.slice(5)];
    switch (format) {
      case 'spaced':
        return { nsn, text: `0${a} ${b} ${c}` };
      case 'plus-spaced':
        return { nsn, text: `+61 ${a} ${b} ${c}` };
      case 'parens':
        return { nsn, text: `(0${nsn.slice(0, 1)}) ${nsn.slice(1, 5)} ${nsn.slice(5)}` };
      case 'bare-61':
        return { nsn, text: `61${nsn}` };
      case 'plus-bare':
        return { nsn, text: `+61${nsn}` };
      case 'dashed':
        return { nsn, text: `0${a}-${b}-${c}` };
      case 'intl-prefix':
        return { nsn, text: `0011 61 ${a} ${b} ${c}` };
      default:
        return { nsn, text: `0${nsn}` };
    }
  });

const digitsOnly = (s: string) => s.replace(/\D/g, '');

/** Surrounding text rich in the characters the scanners care about, so edge cases come up often. */
const noisy = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'@-.()+ /:_0123456789abcT'.split('')), maxLength: 12 }),
);

describe('redactText properties', () => {
  it('no AU phone number in a common format survives, whatever surrounds it', () => {
    fc.assert(
      fc.property(noisy, auPhone, noisy, (before, phone, after) => {
        const out = redactText(`${before}${phone.text}${after}`);
        expect(out).not.toContain(phone.text);
        // The subscriber part must be gone, not just reformatted.
        expect(digitsOnly(out)).not.toContain(phone.nsn.slice(-6));
      }),
      { numRuns: 2_000 },
    );
  });

  it('no email address survives, whatever surrounds it', () => {
    fc.assert(
      fc.property(noisy, fc.emailAddress(), noisy, (before, email, after) => {
        const out = redactText(`${before} ${email} ${after}`);
        expect(out).not.toContain(email);
        expect(out).not.toContain(email.split('@')[1]!);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves text without digits runs or @ untouched', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z ,.:;!?'"-]{0,80}$/), (text) => {
        expect(redactText(text)).toBe(text);
      }),
    );
  });
});

describe('redactJson', () => {
  it('masks values under personal-data keys at any depth, case-insensitively', () => {
    const input = {
      leadId: 999,
      campaignName: 'Sales Outbound',
      agentFullName: 'John Doe',
      PhoneNumber: '+61499999999',
      phones: [{ phone: '+61410000000', phoneIndex: 1 }],
      dataFields: { name: 'Jack Sparrow', state: 'NSW' },
      nested: { customer: { firstName: 'Jo', LASTNAME: 'Bloggs', emailAddress: 'jo@example.com', address: '1 Main St' } },
      source: '+61499999999',
      destination: '+6129000000',
      items: [{ email: 'a@b.co', username: 'jbloggs', name: null }],
      note: 'ring 0412 345 678',
      bigNumber: 61412345678,
      smallId: 12345,
    };
    expect(redactJson(input)).toEqual({
      leadId: 999,
      campaignName: 'Sales Outbound',
      agentFullName: VALUE_MASK,
      PhoneNumber: VALUE_MASK,
      phones: VALUE_MASK,
      dataFields: VALUE_MASK,
      nested: { customer: { firstName: VALUE_MASK, LASTNAME: VALUE_MASK, emailAddress: VALUE_MASK, address: VALUE_MASK } },
      source: VALUE_MASK,
      destination: VALUE_MASK,
      items: [{ email: VALUE_MASK, username: VALUE_MASK, name: null }],
      note: `ring ${PHONE_MASK}`,
      bigNumber: PHONE_MASK,
      smallId: 12345,
    });
  });

  it('redacts JSON held in a string (a server echoing the request body)', () => {
    const sent = JSON.stringify({ listId: 1, leadData: { name: 'Jo Bloggs' }, firstName: 'Jo' });
    const out = redactJson({ sent, broken: '{not json 0412 345 678' }) as Record<string, string>;
    expect(JSON.parse(out['sent']!)).toEqual({ listId: 1, leadData: VALUE_MASK, firstName: VALUE_MASK });
    expect(out['broken']).toBe(`{not json ${PHONE_MASK}`);
  });

  it('does not mutate its input and survives very deep documents', () => {
    const input = { phone1: '+61412345678' };
    redactJson(input);
    expect(input.phone1).toBe('+61412345678');
    let deep: unknown = { phone: '+61412345678' };
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(JSON.stringify(redactJson(deep))).not.toContain('412345678');
  });

  it.each([
    ['phone1', true],
    ['mobilePhone', true],
    ['emailAddress', true],
    ['customerName', true],
    ['Name', true],
    ['campaignName', false],
    ['listName', false],
    ['leadId', false],
    ['status', false],
  ])('isPersonalDataKey(%j) is %s', (key, personal) => {
    expect(isPersonalDataKey(key)).toBe(personal);
  });
});

describe('redactBodyExcerpt', () => {
  it('redacts JSON bodies structurally', () => {
    expect(redactBodyExcerpt('{"message":"duplicate","phone1":"+61412345678","firstName":"Jo"}')).toBe(
      `{"message":"duplicate","phone1":"${VALUE_MASK}","firstName":"${VALUE_MASK}"}`,
    );
  });

  it('redacts non-JSON bodies as text, before cutting them', () => {
    const body = `<html>${'x'.repeat(490)} call 0412 345 678</html>`;
    const out = redactBodyExcerpt(body, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out).not.toMatch(/0412|345 678/);
  });

  it('cuts to the maximum with an ellipsis', () => {
    const out = redactBodyExcerpt(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i })) }), 100);
    expect(out).toHaveLength(100);
    expect(out.endsWith('…')).toBe(true);
  });

  it('handles huge bodies quickly', () => {
    const huge = `{"a":"${'0412 345 678 '.repeat(500_000)}"}`;
    const started = performance.now();
    const out = redactBodyExcerpt(huge);
    expect(out).not.toContain('345 678');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('removeSecret', () => {
  it('removes every occurrence, raw and URL-encoded', () => {
    const key = 'k3y/with+chars=';
    expect(removeSecret(`a ${key} b ${encodeURIComponent(key)} c ${key}`, key)).toBe(`a ${SECRET_MASK} b ${SECRET_MASK} c ${SECRET_MASK}`);
  });

  it('leaves text alone for an empty secret', () => {
    expect(removeSecret('abc', '')).toBe('abc');
  });
});

describe('numbers written with other digits and separators', () => {
  it.each(['０４１２３４５６７９', '٠٤١٢٣٤٥٦٧٨', 'call 0412_345_678 now', 'mob 0412\u2009345\u2009678'])('masks %j', (text) => {
    expect(redactText(text)).toMatch(/\[phone\]/);
    expect(redactText(text)).not.toMatch(/[0-9０-９٠-٩]{3}/);
  });

  it('leaves day-first dates readable', () => {
    expect(redactText('call back 31/12/2026 9:30')).toBe('call back 31/12/2026 9:30');
  });
});
