/**
 * The generated OpenAPI document read as JSON Schema 2020-12, the way tools other than ours read it:
 * Ajv 2020 with formats and strict mode, its components under one base URI so that their
 * `#/components/schemas/...` references resolve.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { buildOpenApiDocument } from '#shared/http/openapi';

export type JsonSchema = Record<string, unknown>;

export interface MediaType {
  schema?: JsonSchema;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
}

export interface OperationObject {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  responses: Record<string, ResponseObject | { $ref: string }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, JsonSchema>; responses?: Record<string, ResponseObject> };
}

const baseUri = 'https://fee-campaign.invalid/openapi.json';
const componentPrefix = '#/components/schemas/';

/** The schema with every component reference made absolute, pointing into the components under `baseUri`. */
const absoluteRefs = (schema: JsonSchema): JsonSchema =>
  JSON.parse(
    JSON.stringify(schema, (key, value) =>
      key === '$ref' && typeof value === 'string' && value.startsWith(componentPrefix)
        ? `${baseUri}#/$defs/${value.slice(componentPrefix.length)}`
        : value,
    ),
  );

/** Compiles schemas of one document: its components are registered once, under `$defs` of `baseUri`. */
export const schemaCompiler = (document: OpenApiDocument) => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS: its `default` is the plugin under Node's ESM interop and in its types alike.
  ajvFormats.default(ajv);
  ajv.addSchema(absoluteRefs({ $id: baseUri, $defs: document.components.schemas }));
  return {
    component: (id: string): ValidateFunction => ajv.compile({ $ref: `${baseUri}#/$defs/${id}` }),
    schema: (schema: JsonSchema): ValidateFunction => ajv.compile(absoluteRefs(schema)),
    errorsOf: (validate: ValidateFunction) => ajv.errorsText(validate.errors, { dataVar: 'body' }),
  };
};

/** The document exactly as the API serves it, built once per process. */
export const generatedDocument = (): OpenApiDocument => buildOpenApiDocument() as unknown as OpenApiDocument;
