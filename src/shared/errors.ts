/**
 * The one error type that domain code throws. Transport code (src/platform/http) maps the code to
 * an HTTP status through ERROR_STATUS; nothing else in the code base knows about statuses.
 */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  UNPROCESSABLE: 422,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  /** What went wrong, in French: shown to the person as is. */
  message: string;
  /** Structured details a client can act on (field errors, line numbers…). */
  details?: unknown;
  /** Seconds before a retry makes sense (429 and 503). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions) {
    super(options.message);
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string): AppError =>
  new AppError('NOT_FOUND', { message: `${what} introuvable.` });

export const forbidden = (message = "Vous n'avez pas accès à cette ressource."): AppError =>
  new AppError('FORBIDDEN', { message });
