/**
 * Schema validation with two compiled-once Ajv instances: query strings, path parameters and
 * headers arrive as text, so they are coerced (`?dryRun=true` → true); JSON bodies are validated
 * exactly as sent, so that `0` never silently becomes `null` or `"1"` a number.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, allErrors: true, removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const textual = makeAjv('array');
  const exact = makeAjv(false);
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? exact : textual;
    return ajv.compile(schema as object);
  });
}
