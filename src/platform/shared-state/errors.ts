/**
 * Errors raised by SharedState implementations. Only "unavailable" is special: it means the
 * store could not be reached (connection down, timeout), so a caller may fall back; every other
 * error (bad arguments, wrong key type) is a bug and must surface.
 */

/** The store could not answer (connection refused, closed, timed out). Safe to fall back. */
export class SharedStateUnavailableError extends Error {
  override readonly name = 'SharedStateUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `error` means "the store is unreachable" rather than "the call was wrong". */
export function isUnavailableError(error: unknown): error is SharedStateUnavailableError {
  return error instanceof SharedStateUnavailableError;
}
