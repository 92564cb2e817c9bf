/**
 * The API types the portal and the tests call the API through are generated from the OpenAPI document
 * and committed, so that builds need no generation step; this holds the committed file to a fresh
 * generation, so that it cannot drift from the routes and schemas.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes } from '#shared/http/generate-api-types';

describe('the committed API types (shared/http/api-types.ts)', () => {
  it('are exactly what `npm run api:types` generates from the current document', async () => {
    const committed = await readFile(apiTypesFile, 'utf8').catch(() => 'missing');

    const generated = await generateApiTypes();

    expect(committed, 'shared/http/api-types.ts is stale: run `npm run api:types`').toBe(generated);
  });
});
