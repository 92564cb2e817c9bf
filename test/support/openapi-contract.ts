/**
 * The generated OpenAPI document read as JSON Schema 2020-12, the way tools other than ours read it
 * (Ajv 2020 with formats, strict), and held to the API's real answers: every HTTP test helper passes
 * each answer under `/api/` to `checkAnswer`, so an undocumented status, content type or body fails
 * the test that met it.
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

/** A response as a client saw it. */
export interface Answer {
  method: string;
  /** The URL asked for, absolute or a path with its query. */
  url: string;
  status: number;
  contentType: string | null;
  text: string;
}

interface Operation {
  method: string;
  /** The path template as the gateway matches it: one segment per parameter, a trailing slash allowed. */
  pattern: RegExp;
  operation: OperationObject;
}

let served: OpenApiDocument | undefined;

/** The document exactly as the API serves it, built once per test process from the generator itself. */
export const generatedDocument = (): OpenApiDocument => {
  served ??= buildOpenApiDocument() as unknown as OpenApiDocument;
  return served;
};

/** The document's operations and validators, built once per test process. */
const contract = (() => {
  let built:
    | {
        document: OpenApiDocument;
        operations: Operation[];
        validatorFor: (schema: JsonSchema) => ValidateFunction;
        errorsOf: (validate: ValidateFunction) => string;
      }
    | undefined;
  return () => {
    if (built) return built;
    const document = generatedDocument();
    const compiler = schemaCompiler(document);
    const validators = new Map<string, ValidateFunction>();
    built = {
      document,
      operations: Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          pattern: new RegExp(
            `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`,
          ),
          operation,
        })),
      ),
      validatorFor: (schema) => {
        const key = JSON.stringify(schema);
        const known = validators.get(key);
        if (known) return known;
        const validate = compiler.schema(schema);
        validators.set(key, validate);
        return validate;
      },
      errorsOf: compiler.errorsOf,
    };
    return built;
  };
})();

const sharedResponse = (document: OpenApiDocument, name: string): ResponseObject => {
  const response = document.components.responses?.[name];
  if (!response) throw new Error(`The OpenAPI document has no shared response ${name}`);
  return response;
};

/**
 * Throws unless the document declares this answer: the operation (by method and path template), the
 * status, the content type, and a body its schema accepts. A path the API does not have must answer
 * the document's `NotFound`, a method a path does not have its `MethodNotAllowed`. Answers outside
 * `/api/` (the web site, the local control plane) are not the API's and pass.
 */
export const checkAnswer = (answer: Answer): void => {
  const { pathname } = new URL(answer.url, 'http://127.0.0.1');
  if (!pathname.startsWith('/api/') && pathname !== '/api') return;
  const { document, operations, validatorFor, errorsOf } = contract();
  const method = answer.method.toUpperCase();
  const where = `${method} ${pathname} answered ${answer.status}`;
  const onPath = operations.filter((candidate) => candidate.pattern.test(pathname));
  const match = onPath.find((candidate) => candidate.method === method);

  let response: ResponseObject;
  let name: string;
  if (match) {
    name = match.operation.operationId;
    const declared = match.operation.responses[String(answer.status)];
    if (!declared) {
      throw new Error(
        `${where}, a status the OpenAPI document does not declare for ${name} (it declares ${Object.keys(match.operation.responses).join(', ')}): ${answer.text.slice(0, 300)}`,
      );
    }
    response = '$ref' in declared ? sharedResponse(document, declared.$ref.split('/').pop() ?? '') : declared;
  } else {
    const [shared, status] =
      onPath.length > 0 ? (['MethodNotAllowed', 405] as const) : (['NotFound', 404] as const);
    name = `the gateway's ${shared}`;
    if (answer.status !== status) {
      throw new Error(`${where}; the OpenAPI document has no such operation, so it must answer ${status}`);
    }
    response = sharedResponse(document, shared);
  }

  const content = response.content ?? {};
  const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (Object.keys(content).length === 0) {
    if (answer.text !== '') throw new Error(`${where} with a body, where ${name} declares none`);
    return;
  }
  const declaredMedia = content[mediaType];
  if (!declaredMedia) {
    throw new Error(
      `${where} as ${answer.contentType ?? 'no content type'}, where ${name} declares ${Object.keys(content).join(', ')}`,
    );
  }
  if (!declaredMedia.schema) return;
  let body: unknown = answer.text;
  if (mediaType === 'application/json') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new Error(`${where} with a body that is not JSON: ${answer.text.slice(0, 300)}`);
    }
  }
  const validate = validatorFor(declaredMedia.schema);
  if (!validate(body)) {
    throw new Error(
      `${where} with a body the OpenAPI document does not allow for ${name}: ${errorsOf(validate)}`,
    );
  }
};
