// Stateful stack: everything that holds data (table, event bus and its archive, the user pool); never replaced or destroyed by an update.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type IUserPool,
  type IUserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { eventBusName } from './names.js';
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
}

export class StatefulStack extends Stack {
  readonly resources: StatefulResources;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const { partitionKey, sortKey, gsi1, ttlAttribute } = tableKeys;
    const table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttlAttribute,
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
    // A public (browser) client: no secret, SRP sign-in only, no hosted-UI OAuth flows.
    const userPoolClient = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.resources = { table, eventBus, userPool, userPoolClient };

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
  }
}
