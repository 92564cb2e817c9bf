/**
 * The credential provider bundled into the functions. Lambda always hands a function its role's
 * credentials in the environment, so the SDK's full default chain (SSO, STS, profiles, process,
 * IMDS) is dead weight: aliasing it to the environment provider takes ~139 KiB off every bundle
 * (`npm run bench`). Bundling only; locally and in tests the SDK keeps its default chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
