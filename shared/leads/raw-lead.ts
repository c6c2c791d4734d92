/**
 * A raw lead: one CSV row's cells placed by a header mapping, as trimmed text, before any validation
 * or normalisation (phones, time zones and timestamps are a later stage's work).
 */
import { ColumnKind, type HeaderMapping } from './header-mapping';
import type { LeadField } from './mapping-profile';

/**
 * The text of each target a row has a non-empty cell for. An empty or blank cell is absent, never "".
 * `leadData` has a null prototype and only keys the header mapping produced.
 */
export type RawLead = { readonly [K in LeadField]?: string } & {
  readonly state?: string;
  readonly leadData: Readonly<Record<string, string>>;
};

/**
 * A row whose cell count differs from the header's; non-empty cells past the header are dropped.
 * Same code as the CSV reader's row problem, which catches this first when rows come from it.
 */
export interface FieldCountProblem {
  readonly code: 'field-count';
  readonly expected: number;
  readonly actual: number;
}
export type RowProblem = FieldCountProblem;

/** A mapped row. */
export interface MappedRecord {
  readonly lead: RawLead;
  readonly problems: readonly RowProblem[];
}

const NO_PROBLEMS: readonly RowProblem[] = Object.freeze([]);

/**
 * Places one row's cells by a compiled mapping: trims each cell, skips blank ones, and reports a row
 * that is shorter than the header, or longer with a non-empty cell past it (trailing empty cells, as
 * from a trailing comma, are not a problem).
 *
 * @example
 * mapRecord(compileHeaderMapping(['Mobile', 'Notes'], profile), [' 0412 345 678 ', '']).lead
 * // { phone1: '0412 345 678', leadData: {} }
 */
export function mapRecord(mapping: HeaderMapping, fields: readonly string[]): MappedRecord {
  const { kinds, names } = mapping.plan;
  const leadData: Record<string, string> = Object.create(null);
  const lead: Record<string, unknown> = { leadData };
  const width = mapping.width;
  const n = fields.length < width ? fields.length : width;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    if (kind === ColumnKind.Ignore) continue;
    const value = fields[i]!.trim();
    if (value === '') continue;
    if (kind === ColumnKind.LeadData) {
      leadData[names[i]!] = value;
    } else if (kind === ColumnKind.Field) {
      lead[names[i]!] = value;
    } else {
      lead.state = value;
      leadData[names[i]!] = value;
    }
  }
  const problems: readonly RowProblem[] =
    fields.length !== width && isShortOrLosing(fields, width)
      ? [{ code: 'field-count', expected: width, actual: fields.length }]
      : NO_PROBLEMS;
  return { lead: lead as RawLead, problems };
}

// Cells past the header are dropped, so a row is only a problem when that drops something.
function isShortOrLosing(fields: readonly string[], width: number): boolean {
  if (fields.length < width) return true;
  for (let i = width; i < fields.length; i++) if (fields[i]!.trim() !== '') return true;
  return false;
}
