/**
 * A CSV of many erasure requests, one per row: headers `phone` (or `mobile`), `email`, `jurisdiction`,
 * `external id`, matched as ingestion matches headers (case, spaces, dashes and underscores ignored).
 * Each row becomes a request body with its line; each is then submitted on its own and reported on its
 * own, so one bad row refuses only itself. The report names lines, fields and request ids, never values.
 */
import type { ByteSource } from '../csv/byte-source';
import { openCsv } from '../csv/csv-reader';
import { headerSpelling } from '../leads/header-spelling';

const COLUMNS: Record<string, 'phone' | 'email' | 'jurisdiction' | 'externalId'> = {
  phone: 'phone',
  mobile: 'phone',
  phonenumber: 'phone',
  email: 'email',
  emailaddress: 'email',
  jurisdiction: 'jurisdiction',
  law: 'jurisdiction',
  externalid: 'externalId',
  reference: 'externalId',
  ticket: 'externalId',
};

/** A row's request body, with the line it came from. */
export interface FileRequest {
  readonly line: number;
  readonly body: Partial<Record<'phone' | 'email' | 'jurisdiction' | 'externalId', string>>;
}

/** A header the file cannot be read with. */
export class RequestFileError extends Error {
  override readonly name = 'RequestFileError';
}

/**
 * Reads the requests of a CSV.
 *
 * @throws RequestFileError naming the columns that are not request fields, or when there is neither a phone nor an email column.
 * @example for await (const r of readRequestFile(bytes)) await submit(r.body)
 */
export async function* readRequestFile(source: ByteSource): AsyncGenerator<FileRequest> {
  const csv = await openCsv(source);
  const fields = csv.header.map((h) => COLUMNS[headerSpelling(h)]);
  const unknown = csv.header.map((h, i) => (fields[i] ? undefined : `${i + 1}`)).filter((c): c is string => c !== undefined);
  if (unknown.length) {
    await csv.close();
    throw new RequestFileError(`column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} of the header ${unknown.length > 1 ? 'are' : 'is'} not a request field (phone, email, jurisdiction, external id)`);
  }
  if (!fields.includes('phone') && !fields.includes('email')) {
    await csv.close();
    throw new RequestFileError('the header has neither a phone nor an email column');
  }
  for await (const record of csv.records) {
    const body: FileRequest['body'] = {};
    record.fields.forEach((value, i) => {
      const field = fields[i];
      if (field && value.trim() !== '') (body as Record<string, string>)[field] = value.trim();
    });
    if (Object.keys(body).length) yield { line: record.line, body };
  }
}
