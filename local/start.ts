// `npm start`: the whole system on this machine, no AWS account. Ports from PORT, DYNAMODB_PORT,
// SES_PORT and EVENTS_PORT; data kept under .local/ unless started with `--in-memory`.
import { now } from '../functions/shared/clock.js';
import { readableHandlerLogs } from './console-log.js';
import { startLocalStack, defaultDataDir, type LocalStack } from './stack.js';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    fail(`${name}=${raw} is not a port number (0-65535)`);
  }
  return port;
}

function fail(message: string): never {
  console.error(`sparraus local: ${message}`);
  process.exit(1);
}

function banner(stack: LocalStack, inMemory: boolean): string {
  const api = stack.apiUrl;
  const opensAt = now().toISOString();
  const closesAt = new Date(now().getTime() + 14 * 86_400_000).toISOString();
  const round = JSON.stringify({ name: 'Kevät 2027', region: '01', places: 5, opensAt, closesAt, languages: ['fi', 'sv'] });
  const application = JSON.stringify({
    municipality: { code: '091', name: 'Helsinki' },
    contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' },
    language: 'fi',
    themes: ['remote support'],
    consent: true,
  });
  const json = `-H 'content-type: application/json'`;
  return `
sparraus is running locally ${inMemory ? '(in memory: data is gone when you stop)' : `(data in ${stack.dataDir})`}

  HTTP API      ${api}            (route list: GET ${api}/)
  OpenAPI       ${api}/openapi.json
  Pages         ${api}/app/            (fi/sv/en; sign in at ${api}/app/signin; npm run build:web)
  Tokens        POST ${api}/dev/token   (step 1 below${inMemory ? '' : '; they outlive restarts on the same PORT'})
  JWKS          ${stack.issuer}/.well-known/jwks.json   (issuer ${stack.issuer})
  SES inbox     ${stack.inboxUrl}           (JSON: GET ${stack.sesUrl}/store)
  DynamoDB      ${stack.dynamoEndpoint}            (table ${stack.tableName})
  Event bus     ${stack.eventsUrl}            (dead letters: npm run dlq -- list)

Try it:

  # 1. a coordinator token (tutor: "role":"tutor")
  TOKEN=$(curl -s -X POST ${api}/dev/token ${json} \\
    -d '{"role":"coordinator","email":"coordinator@example.fi"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')

  # 2. create a round
  ROUND_ID=$(curl -s -X POST ${api}/rounds ${json} -H "authorization: Bearer $TOKEN" \\
    -d '${round}' | tee /dev/stderr | sed -E 's/.*"roundId":"([^"]+)".*/\\1/')

  # 3. apply to it (public)
  curl -s -X POST ${api}/rounds/$ROUND_ID/applications ${json} \\
    -d '${application}'

  # 4. read the mail that was sent
  curl -s ${stack.sesUrl}/store

  # 5. move the clock two days ahead (runs the schedules, answers when their events are handled)
  curl -s -X POST ${api}/dev/clock ${json} -d '{"advanceBy":"PT48H"}'

Ctrl-C stops everything.
`;
}

async function main(): Promise<void> {
  // The project pins Node 20 (package.json engines); the SDK's "Node 22 from 2027" notice is known.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Handler logs at INFO (override with POWERTOOLS_LOG_LEVEL), one readable line each instead of
  // Lambda's JSON: POWERTOOLS_DEV makes the Logger write through the console that this reformats.
  // Both must be set before the first handler loads its logger.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  process.env.POWERTOOLS_DEV ??= 'true';
  readableHandlerLogs();
  const inMemory = process.argv.includes('--in-memory');
  const options = {
    port: portFromEnv('PORT', 3000),
    dynamoPort: portFromEnv('DYNAMODB_PORT', 8000),
    sesPort: portFromEnv('SES_PORT', 8005),
    eventsPort: portFromEnv('EVENTS_PORT', 8010),
    dataDir: inMemory ? null : defaultDataDir,
  };

  let stack: LocalStack | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    // During startup there is no stack yet; exiting runs the exit hook that kills the Java child.
    await stack?.stop();
    process.exit(0);
  };
  // The Java child shares our process group, so Ctrl-C reaches it too; stop() copes with that.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // A stray promise in a handler must not take the whole local system down; Lambda would only
  // have failed that one invocation.
  process.on('unhandledRejection', (reason) => {
    console.error('Unhandled rejection (from a handler?):', reason);
  });

  console.log('Starting DynamoDB Local, the SES emulator, the event bus and the HTTP API…');
  try {
    stack = await startLocalStack(options);
  } catch (error) {
    fail(`could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  console.log(banner(stack, inMemory));
}

void main();
