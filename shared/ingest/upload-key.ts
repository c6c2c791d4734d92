/**
 * The upload key grammar: what an S3 key under the upload prefix says about its upload.
 *
 * ```
 * incoming/[<listId>/][profile=<name>/][<folder>/...]<file>.csv
 * ```
 * - `<listId>`: the first segment after the prefix when it is all digits: the upload's target list.
 * - `profile=<name>`: a mapping profile (letters, digits, `-`, `_`), at most once, anywhere before the file.
 * - other folders are the operator's own organisation and carry no meaning.
 *
 * Examples: `incoming/100/leads.csv` (list 100, default profile),
 * `incoming/100/profile=crm-export/2026-11/leads.csv`, `incoming/profile=web/leads.csv` (list from the
 * rows or the profile). Object metadata may also name a profile (`x-amz-meta-profile`) and ask for a
 * re-run (`x-amz-meta-rerun: true`) or no dedupe against the list (`x-amz-meta-dedupe: file-only`).
 */

/** What a key says. */
export interface UploadKey {
  readonly key: string;
  readonly listId?: number;
  readonly profile?: string;
  /** The file name, for reports. */
  readonly fileName: string;
}

/** A key that names no upload; `reason` says why, for the upload's report. */
export class UploadKeyError extends Error {
  override readonly name = 'UploadKeyError';
  readonly permanent = true;
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`upload key "${key}": ${reason}`);
  }
}

const PROFILE = /^profile=([A-Za-z0-9_-]{1,64})$/;
const LIST_ID = /^[0-9]{1,12}$/;

/**
 * Parses an upload key (already URL-decoded).
 *
 * @param prefix - the upload prefix, `incoming/` by default.
 * @example parseUploadKey('incoming/100/profile=crm/leads.csv') // { listId: 100, profile: 'crm', fileName: 'leads.csv', ... }
 * @throws UploadKeyError when the key is outside the prefix, has two profiles, or a list id of 0.
 */
export function parseUploadKey(key: string, prefix = 'incoming/'): UploadKey {
  if (!key.startsWith(prefix)) throw new UploadKeyError(key, `is not under ${prefix}`);
  const segments = key.slice(prefix.length).split('/');
  const fileName = segments.pop() ?? '';
  if (!fileName) throw new UploadKeyError(key, 'names a folder, not a file');
  let listId: number | undefined;
  let profile: string | undefined;
  segments.forEach((segment, index) => {
    if (index === 0 && LIST_ID.test(segment)) {
      listId = Number(segment);
      if (listId === 0) throw new UploadKeyError(key, 'list id 0 is not a list');
      return;
    }
    const match = PROFILE.exec(segment);
    if (match) {
      if (profile !== undefined) throw new UploadKeyError(key, 'names two profiles');
      profile = match[1];
    } else if (segment.startsWith('profile=')) {
      throw new UploadKeyError(key, 'profile names are letters, digits, "-" and "_" (at most 64)');
    }
  });
  return { key, fileName, ...(listId !== undefined && { listId }), ...(profile !== undefined && { profile }) };
}

/**
 * Builds the key `leadflow ingest` uploads a file under.
 *
 * @example uploadKeyFor('leads.csv', { listId: 100 }) // 'incoming/100/leads.csv'
 */
export function uploadKeyFor(fileName: string, options: { listId?: number; profile?: string; prefix?: string } = {}): string {
  const parts = [options.prefix ?? 'incoming/'];
  if (options.listId !== undefined) parts.push(`${options.listId}/`);
  if (options.profile !== undefined) parts.push(`profile=${options.profile}/`);
  parts.push(fileName.replace(/[/\\]/g, '_'));
  const key = parts.join('');
  parseUploadKey(key, options.prefix); // the grammar is the one place of truth: refuse what it would refuse
  return key;
}
