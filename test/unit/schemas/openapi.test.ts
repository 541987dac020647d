import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../../infra/wiring.js';
import { buildOpenApiDocument } from '../../../schemas/openapi.js';

const doc = buildOpenApiDocument();
type Operation = {
  security: unknown[];
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  parameters: { name: string; in: string }[];
};
const op = (method: string, path: string) => (doc.paths[path] as Record<string, Operation>)[method]!;

describe('OpenAPI document', () => {
  it('describes every route of the wiring table, and no other', () => {
    const described = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(Object.keys(httpRoutes).sort());
  });
  it('requires a bearer token exactly on the role routes', () => {
    for (const [key, route] of Object.entries(httpRoutes)) {
      const [method, path] = key.split(' ') as [string, string];
      const { security } = op(method.toLowerCase(), path);
      const anonymousAllowed = security.length === 0 || security.some((s) => Object.keys(s as object).length === 0);
      expect(anonymousAllowed, key).toBe(route.role === 'public');
    }
  });
  it('takes the request body and parameters from the zod contracts', () => {
    const apply = op('post', '/rounds/{roundId}/applications');
    expect(apply.requestBody?.content['application/json']?.schema.required).toEqual(
      expect.arrayContaining(['municipality', 'contact', 'language', 'themes', 'consent']),
    );
    expect(apply.parameters).toEqual([expect.objectContaining({ name: 'roundId', in: 'path' })]);
    expect(op('get', '/applications/{applicationId}').parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:applicationId',
      'query:token',
    ]);
  });
});
