/**
 * The routes to fuzz, read from the server's own /openapi.json: every
 * operation with its path and query parameters, its JSON body schema, its
 * scope and the statuses it declares. A route added to the API is fuzzed
 * without touching the fuzzer.
 */

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
  [key: string]: unknown;
};

export interface Param {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** As the document writes it: /v1/releases/{id}. */
  path: string;
  pathParams: Param[];
  query: Param[];
  body?: { schema: JsonSchema; required: boolean };
  /** The scope the description names; undefined for public routes. */
  scope?: string;
  declared: Set<number>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, unknown>;
}

/** Inlines `#/components/schemas/…` references (the document may or may not use them). */
function resolve(schema: JsonSchema, doc: OpenApiDoc, depth = 0): JsonSchema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc.components?.schemas?.[name] ?? {}, doc, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)]));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (list) out[key] = list.map((s) => resolve(s, doc, depth + 1));
  }
  return out;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const params = op.parameters ?? [];
      const pick = (where: string) =>
        params
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, required: where === 'path' || Boolean(p.required), schema: resolve(p.schema, doc) }));
      const json = op.requestBody?.content?.['application/json'];
      const scope = /`(\w+)` scope/.exec(op.description ?? '')?.[1];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: pick('path'),
        query: pick('query'),
        ...(json ? { body: { schema: resolve(json.schema, doc), required: Boolean(op.requestBody?.required) } } : {}),
        ...(scope ? { scope } : {}),
        declared: new Set(Object.keys(op.responses ?? {}).map(Number)),
      });
    }
  }
  return ops.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
}

export async function readOperations(baseUrl: string): Promise<Operation[]> {
  const res = await fetch(`${baseUrl}/openapi.json`);
  if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
  return operationsOf((await res.json()) as OpenApiDoc);
}
