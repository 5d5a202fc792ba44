import { z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { ReleaseNotFoundError } from '../../risk/releases.js';
import { ApiError } from '../errors.js';

export const ReleaseId = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const errorResponses = {
  400: { description: 'Bad input', content: { 'application/json': { schema: ErrorEnvelope } } },
  401: { description: 'Missing or invalid token', content: { 'application/json': { schema: ErrorEnvelope } } },
  403: { description: 'Token lacks the scope', content: { 'application/json': { schema: ErrorEnvelope } } },
};

/** Domain errors of release operations as API errors (another tenant's release is simply not found). */
export async function releaseErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ReleaseNotFoundError) throw new ApiError('not_found', err.message);
    if (err instanceof RangeError) throw new ApiError('validation_failed', err.message);
    throw err;
  }
}
