/**
 * What API Gateway's Cognito authorizer does with a bearer token, for the local provider's tokens:
 * an ID token signed by one of the provider's keys, for the portal's client, from its issuer, not
 * expired; its claims handed on flattened to strings (`cognito:groups` of one group is that group).
 */
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';

export interface IdTokenVerifierOptions {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
}

/** API Gateway's rendering of a claim: strings as they are, a list of one as its item, `[a b]` else. */
const flatten = (value: unknown): string => {
  if (Array.isArray(value)) return value.length === 1 ? String(value[0]) : `[${value.join(' ')}]`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
};

export const idTokenVerifier = (options: IdTokenVerifierOptions) => {
  const keys = createLocalJWKSet(options.jwks);
  /** The claims of a valid ID token; undefined for anything else. */
  return async (token: string): Promise<Record<string, string> | undefined> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256'],
        requiredClaims: ['sub', 'iat', 'exp'],
      });
      // The Cognito authorizer takes ID tokens; an access token carries no groups or attributes.
      if (payload.token_use !== 'id') return undefined;
      return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, flatten(value)]));
    } catch {
      return undefined;
    }
  };
};
