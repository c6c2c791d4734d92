/**
 * Recognises files that are certainly not CSV from their first bytes ("magic numbers"), so that an
 * operator who drops a workbook or a PDF is told what it is and what to do instead.
 */
import { NotCsvError } from './errors';

interface Signature {
  readonly bytes: readonly number[];
  readonly format: string;
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

// Zip covers .xlsx, .ods and .numbers alike: all are zip archives, and all need "save as CSV".
const zip: readonly Signature[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], format: 'zip' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], format: 'zip' },
  { bytes: [0x50, 0x4b, 0x07, 0x08], format: 'zip' },
];
const ole2: Signature = { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], format: 'ole2' };
const binaries: readonly Signature[] = [
  { bytes: ascii('%PDF-'), format: 'pdf' },
  { bytes: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a], format: 'png' },
  { bytes: ascii('GIF87a'), format: 'gif' },
  { bytes: ascii('GIF89a'), format: 'gif' },
  { bytes: [0xff, 0xd8, 0xff], format: 'jpeg' },
  { bytes: [0x1f, 0x8b], format: 'gzip' },
];

const names: Record<string, string> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  gif: 'a GIF image',
  jpeg: 'a JPEG image',
  gzip: 'a gzip archive',
};

function startsWith(bytes: Uint8Array, signature: Signature): boolean {
  if (bytes.length < signature.bytes.length) return false;
  return signature.bytes.every((b, i) => bytes[i] === b);
}

/**
 * The error for a file whose first bytes show a known non-text format, or undefined when they don't.
 * @example fileSignatureError(Buffer.from('PK\x03\x04...'))?.reason // 'xlsx'
 */
export function fileSignatureError(firstBytes: Uint8Array): NotCsvError | undefined {
  if (zip.some((s) => startsWith(firstBytes, s))) {
    return new NotCsvError(
      'xlsx',
      'The file is an Excel workbook (.xlsx) or another zip archive, not a CSV file: open it in Excel and save it as "CSV UTF-8 (Comma delimited)".',
      { format: 'zip' },
    );
  }
  if (startsWith(firstBytes, ole2)) {
    return new NotCsvError(
      'xls',
      'The file is an old Excel workbook (.xls) or another Office document, not a CSV file: open it in Excel and save it as "CSV UTF-8 (Comma delimited)".',
      { format: 'ole2' },
    );
  }
  const binary = binaries.find((s) => startsWith(firstBytes, s));
  if (binary !== undefined) {
    return new NotCsvError('binary', `The file is ${names[binary.format]}, not a CSV file.`, { format: binary.format });
  }
  return undefined;
}
