// Vitest setupFiles entry: copies the emulator endpoints that test/global-setup.ts provided into
// process.env, so the SDK clients in code under test find them (and never reach real AWS).
import { inject } from 'vitest';
import { applyEnvironment, sdkEnvironment } from './aws-env.js';

const dynamoEndpoint = inject('dynamoEndpoint');
const sesEndpoint = inject('sesEndpoint');
const sesStoreUrl = inject('sesStoreUrl');

applyEnvironment({
  ...sdkEnvironment({ dynamoEndpoint, sesEndpoint }),
  // Absent when a config runs without test/global-setup.ts; helpers then say so (local/testing.ts).
  ...(sesStoreUrl ? { SES_STORE_URL: sesStoreUrl } : {}),
});
