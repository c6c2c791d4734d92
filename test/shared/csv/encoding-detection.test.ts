import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../../shared/csv/encoding-detection';

describe('detectEncoding', () => {
  it('follows a byte order mark', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf8'), true)).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf16le'), true)).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf16le').swap16(), true)).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('takes ASCII and well-formed UTF-8 as UTF-8', () => {
    expect(detectEncoding(Buffer.from('phone,name\n0412,Ann\n'), true).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('name\nZoë 😀\n'), true).encoding).toBe('utf-8');
  });

  it('takes what Excel writes as ANSI for Windows-1252', () => {
    expect(detectEncoding(Buffer.from([0x43, 0x61, 0x66, 0xe9]), true)).toEqual({ encoding: 'windows-1252', bomLength: 0 });
    expect(detectEncoding(Buffer.from([0x93, 0x61, 0x94, 0x0a]), true).encoding).toBe('windows-1252');
  });

  it('keeps UTF-8 when well-formed multi-byte characters outnumber the damaged bytes', () => {
    const sample = Buffer.concat([Buffer.from('é,ü,ß,'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(detectEncoding(sample, true).encoding).toBe('utf-8');
  });

  it('does not count a character cut by the end of the sample against UTF-8', () => {
    const cut = Buffer.from('name\nZoë €').subarray(0, -1);
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    // ...but at the end of the file, the cut character is a real fault.
    expect(detectEncoding(cut, true).encoding).toBe('windows-1252');
  });
});
