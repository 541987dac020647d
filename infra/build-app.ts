// Builds the sparraus CDK app (its four stacks, cdk-nag checks) without synthesizing it, for app.ts and test/infra alike.
import { App, CrossStackReferences, ReferenceStrength, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeStack } from './edge.js';
import { StatefulStack } from './stateful-stack.js';
import { SitePagesStack, signInPath } from './site.js';
import { StatelessStack } from './stateless-stack.js';

export interface SparrausApp {
  readonly app: App;
  readonly edge: EdgeStack;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly site: SitePagesStack;
}

/** The whole app; `props` lets tests pass context such as `aws:cdk:bundling-stacks: []`. */
export function buildApp(props?: AppProps): SparrausApp {
  const app = new App(props);
  // Strong (Export/ImportValue) on purpose: the stateful stack cannot be deleted, nor its table or
  // bus removed, while the stateless stack still uses them.
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  // Account and region come from the deploying credentials; without them (offline synth, tests)
  // the stacks are environment-agnostic, which nothing here needs to avoid.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  // The web ACL of the pages' distribution: CloudFront takes web ACLs from us-east-1 only.
  const edge = new EdgeStack(app, 'SparrausEdge', {
    env,
    description: "sparraus edge: the AWS WAF web ACL (rate limit per client IP) of the pages' CloudFront distribution",
  });
  const stateful = new StatefulStack(app, 'SparrausStateful', {
    env,
    webAclArn: edge.webAclArn(),
    description:
      "sparraus data: DynamoDB table, event bus and archive, Cognito user pool and hosted UI, the pages' bucket and CloudFront distribution",
  });
  // The distribution reads the ARN through a weak reference (EdgeStack.webAclArn): deploy the edge first.
  stateful.addStackDependency(edge, 'the distribution names the web ACL');
  const stateless = new StatelessStack(app, 'SparrausStateless', {
    env,
    description: 'sparraus compute: Lambda functions, HTTP API, event rules and schedules',
    stateful: stateful.resources,
  });

  const { site: hosting, hostedUiUrl, userPoolClient } = stateful.resources;
  const site = new SitePagesStack(app, 'SparrausSite', {
    env,
    description: 'sparraus pages: the built pages and their config.js, deployed to the bucket behind CloudFront',
    hosting,
    config: {
      // The API is on the pages' own origin (infra/site.ts apiPathPatterns), as with npm start.
      apiUrl: '',
      cognito: {
        domain: hostedUiUrl,
        clientId: userPoolClient.userPoolClientId,
        redirectUri: `${hosting.origin}${signInPath}`,
        logoutUri: hosting.appUrl,
      },
    },
  });

  // cdk-nag 3 runs as a policy-validation plugin: synthesis fails on any finding that is not
  // acknowledged with Validations.of(construct).acknowledge() next to the construct concerned.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

  return { app, edge, stateful, stateless, site };
}
