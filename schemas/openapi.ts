// Builds the OpenAPI 3.1 document of the HTTP API from the wiring table (paths, roles) and the
// route contracts (zod schemas). `npm run openapi` writes it to openapi.json.
import { writeFileSync } from 'node:fs';
import * as z from 'zod';
import { httpRoutes, type HttpRoute, type RouteKey } from '../infra/wiring.js';
import { ErrorBody } from './api/errors.js';
import { routeContracts, type RouteContract } from './api/routes.js';

const errorStatuses: Record<string, string> = {
  '400': 'Invalid body or query; `issues` names each field and its problem',
  '401': 'No or bad bearer token',
  '403': 'Wrong role, or not yours',
  '404': 'Unknown id',
  '409': 'Conflict with the current state',
  '413': 'Body too large',
  '415': 'Body is not JSON',
  '503': 'A backing service is unavailable; retry',
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const shape = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (shape.required ?? []).includes(name),
    schema: property,
  }));
}

function operation(routeKey: RouteKey) {
  const contract: RouteContract = routeContracts[routeKey];
  const route: HttpRoute = httpRoutes[routeKey];
  const { role } = route;
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(contract.responses)) {
    const csv = contract.csv
      ? { 'text/csv': { schema: { type: 'string', description: 'One row per record, with a header row' } } }
      : {};
    responses[status] = {
      description: 'Success',
      content: { 'application/json': { schema: jsonSchema(schema, 'output') }, ...csv },
    };
  }
  for (const [status, description] of Object.entries(errorStatuses)) {
    if (status === '401' && role === 'public') continue;
    responses[status] = { description, content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } };
  }
  return {
    summary: contract.summary,
    operationId: routeKey.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    tags: [role],
    ...(role === 'public'
      ? { security: route.acceptsBearer ? [{}, { bearer: [] }] : [] }
      : { security: [{ bearer: [] }], 'x-required-role': [role, ...(route.alsoFor ?? [])] }),
    parameters: [...parameters(contract.path, 'path'), ...parameters(contract.query, 'query')],
    ...(contract.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } } }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const routeKey of Object.keys(httpRoutes) as RouteKey[]) {
    const [method, path] = routeKey.split(' ') as [string, string];
    (paths[path] ??= {})[method.toLowerCase()] = operation(routeKey);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'sparraus HTTP API',
      version: '0.1.0',
      description: 'Municipal digital-support coaching rounds. Times are ISO 8601 with offset; default zone Europe/Helsinki.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Cognito id token (groups coordinators, tutors); locally from POST /dev/token',
        },
      },
    },
    paths,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const out = process.argv[2] ?? 'openapi.json';
  writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
  console.log(`OpenAPI document written to ${out} (${Object.keys(httpRoutes).length} routes)`);
}
