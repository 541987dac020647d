// Settings every handler reads from its environment. The CDK stack and the local runtime set the
// same names; AWS SDK endpoints come from the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables.

export const envNames = {
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  emailFrom: 'EMAIL_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Base URL of the HTTP API, without a trailing slash. */
  publicUrl: 'PUBLIC_URL',
  /** Base URL of the pages, for the links people follow from emails (default: `<PUBLIC_URL>/app`, as `npm start` serves them). */
  pagesUrl: 'PAGES_URL',
  /** Issuer of the bearer tokens (the Cognito user pool URL); its JWKS is at `<issuer>/.well-known/jwks.json`. */
  jwtIssuer: 'JWT_ISSUER',
  /** The app client id that tokens must be issued for. */
  jwtAudience: 'JWT_AUDIENCE',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export const config = {
  tableName: () => required(envNames.tableName),
  eventBusName: () => required(envNames.eventBusName),
  emailFrom: () => required(envNames.emailFrom),
  sesConfigurationSet: () => process.env[envNames.sesConfigurationSet] || undefined,
  publicUrl: () => required(envNames.publicUrl).replace(/\/+$/, ''),
  pagesUrl: () =>
    (process.env[envNames.pagesUrl] || `${required(envNames.publicUrl).replace(/\/+$/, '')}/app`).replace(/\/+$/, ''),
  jwtIssuer: () => required(envNames.jwtIssuer).replace(/\/+$/, ''),
  jwtAudience: () => required(envNames.jwtAudience),
};
