import { z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';

export const ReleaseId = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const errorResponses = {
  400: { description: 'Bad input', content: { 'application/json': { schema: ErrorEnvelope } } },
  401: { description: 'Missing or invalid token', content: { 'application/json': { schema: ErrorEnvelope } } },
  403: { description: 'Token lacks the scope', content: { 'application/json': { schema: ErrorEnvelope } } },
};
