/**
 * Which of `,` `;` tab `|` separates the fields, judged from the header and the records after it in
 * the sample (the first 20 records at most).
 *
 * Each candidate is counted per record, outside quoted fields. A quote opens a quoted field only at
 * the start of a field (after a line break or any candidate), as csv-parse reads it, so an inch mark
 * in `5'10"` does not hide the rest of the line.
 *
 * Decision: a candidate must appear in the header. Among those, the one whose header count is matched
 * by the most following records wins (a consistent column count is what makes a delimiter); on a tie
 * the one appearing more often in the header wins; on a further tie the order `,` `;` tab `|`. A
 * header with none of them is a one-column file: `,`.
 */
import { csvDelimiters, type CsvDelimiter } from './csv-record';

const MAX_RECORDS = 20;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const CANDIDATE_CODES = csvDelimiters.map((d) => d.charCodeAt(0));

/**
 * The field delimiter of a CSV text.
 * @param text the start of the file, decoded, without byte order mark
 * @param complete true when `text` is the whole file (otherwise its last line may be cut and is ignored)
 * @example detectDelimiter('name;phone;city, state\nAnn;0412;Sydney, NSW\n', true) // ';'
 */
export function detectDelimiter(text: string, complete: boolean): CsvDelimiter {
  const records = countPerRecord(text, complete);
  const header = records[0];
  if (header === undefined) return ',';
  let best = -1;
  let bestMatches = -1;
  let bestCount = 0;
  for (let k = 0; k < CANDIDATE_CODES.length; k++) {
    const count = header[k] as number;
    if (count === 0) continue;
    let matches = 0;
    for (let r = 1; r < records.length; r++) if ((records[r] as number[])[k] === count) matches++;
    if (matches > bestMatches || (matches === bestMatches && count > bestCount)) {
      best = k;
      bestMatches = matches;
      bestCount = count;
    }
  }
  return best === -1 ? ',' : (csvDelimiters[best] as CsvDelimiter);
}

/** Candidate counts outside quotes, per non-empty record. */
function countPerRecord(text: string, complete: boolean): number[][] {
  const records: number[][] = [];
  let current = [0, 0, 0, 0];
  let empty = true;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < text.length && records.length < MAX_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === CR || c === LF) {
      if (!empty) records.push(current);
      current = [0, 0, 0, 0];
      empty = true;
      fieldStart = true;
      continue;
    }
    empty = false;
    const k = CANDIDATE_CODES.indexOf(c);
    if (k >= 0) {
      current[k] = (current[k] as number) + 1;
      fieldStart = true;
      continue;
    }
    if (c === QUOTE && fieldStart) inQuotes = true;
    fieldStart = false;
  }
  if (complete && !empty && records.length < MAX_RECORDS) records.push(current);
  return records;
}
