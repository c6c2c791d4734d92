/**
 * Error answers the simulator gives. ipSCAPE documents no error body, so these are ours; they name
 * fields but never quote a value (it may be a phone number or an email address).
 */

/** One bad request field. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An answer other than success, thrown from anywhere in request handling. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Readonly<Record<string, unknown>>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/** 400 naming each bad field: `{"error":"validation","fields":[{field, message}]}`. */
export function validationError(fields: readonly FieldError[]): HttpError {
  return new HttpError(400, { error: 'validation', fields });
}

/** 404 for an unknown resource id. */
export function notFound(resource: string, id: string | number): HttpError {
  return new HttpError(404, { error: 'not_found', message: `${resource} ${id} does not exist` });
}
