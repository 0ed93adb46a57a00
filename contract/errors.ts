/** Every error the API returns, with its HTTP status. One table, used by both apps and the contract suite. */
export const ERROR_STATUS = {
  invalid_request: 400,
  not_found: 404,
  seat_unavailable: 409,
  layout_conflict: 409,
  hold_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error shape: `{ "error": { "code", "message", "field"? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** Thrown by domain code; the HTTP layer maps it to `ERROR_STATUS[code]` and `errorBody`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
  }
  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.field);
  }
}
