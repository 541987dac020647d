// The environment handlers run in locally: the same variable names the CDK stack sets on each Lambda
// (functions/shared/config.ts) plus the SDK's own endpoint, region and credential variables.
import { envNames } from '../functions/shared/config.js';

export const localRegion = 'eu-north-1';
export const localAccountId = '000000000000';

/** Dummy credentials: the emulators only check that a request is signed, not by whom. */
export const dummyCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface HandlerEnvironmentInput {
  tableName: string;
  eventBusName: string;
  emailFrom: string;
  publicUrl: string;
  /** Issuer of bearer tokens; handlers fetch `<jwtIssuer>/.well-known/jwks.json` (functions/shared/bearer.ts). */
  jwtIssuer: string;
  jwtAudience: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  eventsEndpoint: string;
}

/**
 * Variables for handlers. The SDK (v3, @smithy/core) reads AWS_ENDPOINT_URL_<serviceId> with the
 * service id upper-cased and spaces as underscores: DynamoDB → DYNAMODB, SESv2 → SESV2,
 * EventBridge → EVENTBRIDGE. It reads them on a client's first request and then keeps the endpoint.
 */
export function handlerEnvironment(input: HandlerEnvironmentInput): Record<string, string> {
  return {
    [envNames.tableName]: input.tableName,
    [envNames.eventBusName]: input.eventBusName,
    [envNames.emailFrom]: input.emailFrom,
    [envNames.publicUrl]: input.publicUrl.replace(/\/+$/, ''),
    [envNames.jwtIssuer]: input.jwtIssuer.replace(/\/+$/, ''),
    [envNames.jwtAudience]: input.jwtAudience,
    ...sdkEnvironment(input),
  };
}

export function sdkEnvironment(endpoints: {
  dynamoEndpoint?: string;
  sesEndpoint?: string;
  eventsEndpoint?: string;
}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: dummyCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: dummyCredentials.secretAccessKey,
    // The project pins Node 20 (package.json engines); the SDK's "Node 22 from 2027" notice is known
    // and would otherwise print in every process.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  if (endpoints.dynamoEndpoint) env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamoEndpoint;
  if (endpoints.sesEndpoint) env.AWS_ENDPOINT_URL_SESV2 = endpoints.sesEndpoint;
  if (endpoints.eventsEndpoint) env.AWS_ENDPOINT_URL_EVENTBRIDGE = endpoints.eventsEndpoint;
  return env;
}

/** Sets `vars` in process.env and returns a function that puts the previous values back. */
export function applyEnvironment(vars: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
