// Stateful stack: everything that holds data (table, event bus and its archive, the user pool) and the addresses others name (the pages' distribution, the HTTP API it serves, the hosted UI); never replaced or destroyed by an update.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPoolClientIdentityProvider,
  UserPool,
  type IUserPool,
  type IUserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { eventBusName } from './names.js';
import { SiteHosting, signInPath } from './site.js';
import { outboxRelay } from './outbox-relay.js';
import { tableKeys } from './table-definition.js';
import { roleGroups } from './wiring.js';

export { eventBusName };

/** What the stateless stack needs from this one. */
export interface StatefulResources {
  readonly table: ITable;
  readonly eventBus: IEventBus;
  readonly userPool: IUserPool;
  /** The client whose id is the JWT audience of the HTTP API. */
  readonly userPoolClient: IUserPoolClient;
  /** The pages' bucket and distribution (the stateless stack deploys the pages into them). */
  readonly site: SiteHosting;
  /**
   * The HTTP API itself, without routes or stage (the stateless stack adds those): here because the
   * distribution serves it and the distribution is here (the web client's callback URLs name it).
   */
  readonly api: IHttpApi;
  /** https://<prefix>.auth.<region>.amazoncognito.com, the hosted UI. */
  readonly hostedUiUrl: string;
}

export interface StatefulStackProps extends StackProps {
  /** ARN of the web ACL in front of the pages' distribution (infra/edge.ts, in us-east-1). */
  readonly webAclArn: string;
}

export class StatefulStack extends Stack {
  readonly resources: StatefulResources;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    const { partitionKey, sortKey, gsi1, ttlAttribute } = tableKeys;
    const table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttlAttribute,
      // The outbox: the pipe (outbox-pipe.ts) relays each new event item from this stream to the bus.
      stream: StreamViewType[outboxRelay.streamViewType],
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: gsi1.indexName,
      partitionKey: { name: gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: gsi1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const eventBus = new EventBus(this, 'EventBus', { eventBusName });
    // The archive lets us replay events into a fixed or new subscriber. Our own events carry ids,
    // never personal data; AWS service events forwarded onto the bus do (an SES bounce names the
    // address), so only ours (source sparraus.*) are kept, and an erased person lingers nowhere here.
    eventBus.archive('Archive', {
      description: 'Every sparraus.* event on the sparraus bus, for replay',
      eventPattern: { account: [this.account], source: Match.prefix('sparraus.') },
      retention: Duration.days(365),
    });

    // Coordinators and tutors see personal data of municipal contacts, so their accounts are
    // admin-created only, need TOTP MFA, and get Cognito's threat protection (Plus plan).
    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // A changed address stays pending until its owner verifies it; until then tokens keep the old,
      // verified one. Handlers find tutors by the token's email and require email_verified, so nobody
      // can take another's address by changing their own.
      keepOriginal: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [role, groupName] of Object.entries(roleGroups)) {
      userPool.addGroup(`Group-${role}`, { groupName, description: `Signed-in ${role}s` });
    }
    // The hosted UI at sparraus-<account id>.auth.<region>.amazoncognito.com: a prefix must be unique
    // in the region, and the account id makes it so without a parameter to choose.
    const hostedUi = userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: `sparraus-${this.account}` },
    });

    // The HTTP API: only the API resource here, which names nothing of the stateless stack (its routes,
    // integrations, authorizer and stage are there). Browsers reach it through the distribution on the
    // pages' own origin, so it has no CORS configuration.
    const api = new HttpApi(this, 'HttpApi', {
      apiName: 'sparraus',
      description: "sparraus HTTP API (routes from infra/wiring.ts), served through the pages' CloudFront distribution",
      // The $default stage is the stateless stack's: only a stage there can wait for the routes.
      createDefaultStage: false,
    });

    // The pages and the API behind one CloudFront distribution (infra/site.ts). Here rather than in the
    // stateless stack because the web client's callback URLs name the distribution.
    const site = new SiteHosting(this, 'Site', { webAclArn: props.webAclArn, api, hostedUiUrl: hostedUi.baseUrl() });

    // A public (browser) client: no secret; signs in through the hosted UI (OAuth authorization code
    // with PKCE, which a client without a secret must send) and back to the pages on CloudFront.
    const userPoolClient = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${site.origin}${signInPath}`],
        logoutUrls: [site.appUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.resources = { table, eventBus, userPool, userPoolClient, site, api, hostedUiUrl: hostedUi.baseUrl() };

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
    new CfnOutput(this, 'SiteUrl', { value: site.appUrl, description: 'The pages (CloudFront); / redirects here' });
    new CfnOutput(this, 'SiteBucketName', { value: site.bucket.bucketName });
    new CfnOutput(this, 'SiteDistributionId', { value: site.distribution.distributionId });
    new CfnOutput(this, 'HostedUiUrl', { value: hostedUi.baseUrl(), description: 'Cognito hosted UI' });
  }
}
