/** What to tell the person about a failed request, in their language. */
import { ApiError } from './api-client.ts';
import type { Locale } from './api-types.ts';
import type { Translate } from './i18n.ts';

export function describeError(error: unknown, t: Translate, locale: Locale): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.isNetwork) return t('errors.network');
  if (error.status >= 500) return t('errors.server');
  // The server writes its messages in French; in English we fall back on a message per code.
  if (locale === 'fr' && error.message) return error.message;
  switch (error.status) {
    case 400:
      return t('errors.validation');
    case 401:
      return t('errors.unauthenticated');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return t('errors.conflict');
    case 413:
      return t('errors.tooLarge');
    case 422:
      return t('errors.unprocessable');
    case 429:
      return t('errors.rateLimited');
    default:
      return error.message || t('errors.unexpected');
  }
}
