/**
 * The one place where errors become HTTP responses. Every error body has the same shape:
 * `{ error: { code, message, details? } }` with a French message a person can act on. Schema
 * failures become 400 with field paths, AppErrors use the code → status table, 429/503 carry
 * Retry-After, and anything unexpected becomes a generic 500 logged with the request id: no stack
 * trace ever reaches a client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../shared/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

/** Seconds a client should wait before retrying while the database is away (a restart takes a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 3;
const UNAVAILABLE_MESSAGE = 'Service momentanément indisponible. Réessayez dans quelques secondes.';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const FIELD_NAMES: Record<string, string> = {
  login: 'identifiant',
  password: 'mot de passe',
  code: "code d'activation",
  locale: 'langue',
};

function describeIssue(issue: ValidationIssue, context: string): { path: string; message: string } {
  const params = issue.params ?? {};
  const missing = typeof params['missingProperty'] === 'string' ? params['missingProperty'] : undefined;
  const extra = typeof params['additionalProperty'] === 'string' ? params['additionalProperty'] : undefined;
  const rawPath = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || missing || extra || context;
  const field = FIELD_NAMES[rawPath] ?? rawPath;
  const limit = params['limit'];
  switch (issue.keyword) {
    case 'required':
      return { path: rawPath, message: `le champ « ${field} » est obligatoire` };
    case 'minLength':
      return { path: rawPath, message: `« ${field} » doit compter au moins ${String(limit)} caractère(s)` };
    case 'maxLength':
      return { path: rawPath, message: `« ${field} » doit compter au plus ${String(limit)} caractères` };
    case 'additionalProperties':
      return { path: rawPath, message: `le champ « ${field} » n'est pas attendu` };
    case 'format':
      return { path: rawPath, message: `« ${field} » n'a pas le bon format (${String(params['format'])})` };
    case 'type':
      return { path: rawPath, message: `« ${field} » doit être de type ${String(params['type'])}` };
    case 'minimum':
    case 'maximum':
      return { path: rawPath, message: `« ${field} » doit être ${issue.keyword === 'minimum' ? '≥' : '≤'} ${String(limit)}` };
    case 'const':
    case 'enum':
    case 'anyOf':
      return { path: rawPath, message: `« ${field} » n'a pas une valeur autorisée` };
    default:
      return { path: rawPath, message: `« ${field} » : ${issue.message ?? 'valeur invalide'}` };
  }
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Le corps de la requête est vide alors que du JSON est attendu.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "Type de contenu non pris en charge pour cette adresse (vérifiez l'en-tête Content-Type).",
  FST_ERR_CTP_BODY_TOO_LARGE: 'Le contenu envoyé est trop volumineux.',
  FST_ERR_CTP_INVALID_JSON_BODY: "Le JSON envoyé n'est pas valide.",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'La longueur annoncée du contenu ne correspond pas.',
  FST_CSRF_MISSING_SECRET: 'Jeton anti-falsification (CSRF) manquant : rechargez la page et réessayez.',
  FST_CSRF_INVALID_TOKEN: 'Jeton anti-falsification (CSRF) invalide ou expiré : rechargez la page et réessayez.',
};

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown, retryAfterSeconds?: number): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return reply.code(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    return sendError(reply, ERROR_STATUS[error.code], error.code, error.message, error.details, error.retryAfterSeconds);
  }
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    const issues = (error.validation as ValidationIssue[]).map((i) => describeIssue(i, context));
    const summary = issues.map((i) => i.message).join(' ; ');
    return sendError(reply, 400, 'VALIDATION', `Requête invalide : ${summary}.`, { fields: issues });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
    return sendError(reply, status, code, FASTIFY_MESSAGES[error.code] ?? 'Requête invalide.');
  }
  // PostgreSQL unreachable or restarting: a fast 503 the client may retry, never a 500 or a hang.
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ code: (error as { code?: unknown }).code, reason: error.message }, 'database unavailable: 503');
    return sendError(reply, 503, 'UNAVAILABLE', UNAVAILABLE_MESSAGE, undefined, DATABASE_RETRY_AFTER_SECONDS);
  }
  if (status === 503) {
    return sendError(reply, 503, 'UNAVAILABLE', UNAVAILABLE_MESSAGE, undefined, 5);
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendError(
    reply,
    500,
    'INTERNAL',
    `Une erreur inattendue est survenue. Réessayez ; si le problème persiste, signalez-le avec la référence ${request.id}.`,
  );
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'NOT_FOUND', `Adresse inconnue : ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}
