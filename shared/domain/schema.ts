/**
 * The zod every schema is written with: zod/mini, the functional API, which a Lambda loads and builds
 * in a fraction of classic zod's cold start (`npm run bench`), with the English messages that mini
 * leaves to the application to choose. Import it as a namespace (`import * as z`) so bundles keep
 * only the parts they use.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
