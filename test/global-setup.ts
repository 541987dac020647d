// Vitest global setup: one DynamoDB Local (in memory) and one SES emulator for the whole run, on
// free ports, handed to the test workers (local/testing-setup.ts puts them in process.env).
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../local/dynamodb.js';
import { ensureJava } from '../local/java.js';
import { startSesLocal } from '../local/ses.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
    sesStoreUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Same as the workers get (local/aws-env.ts): the SDK's Node 22 notice is known, and noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await ensureJava();
  const [dynamoStart, sesStart] = await Promise.allSettled([startDynamoDbLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  if (dynamoStart.status === 'rejected' || sesStart.status === 'rejected') {
    // Stop whichever did start, then report the failure.
    await Promise.allSettled([
      dynamoStart.status === 'fulfilled' ? dynamoStart.value.stop() : undefined,
      sesStart.status === 'fulfilled' ? sesStart.value.stop() : undefined,
    ]);
    throw dynamoStart.status === 'rejected' ? dynamoStart.reason : (sesStart as PromiseRejectedResult).reason;
  }
  const dynamo = dynamoStart.value;
  const ses = sesStart.value;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  project.provide('sesStoreUrl', ses.storeUrl);
  return async () => {
    await Promise.allSettled([ses.stop(), dynamo.stop()]);
  };
}
