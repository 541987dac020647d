// Test helper: synthesizes the real app once per test file (bundling skipped) and reads its templates as plain data.
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type SparrausApp } from '../../infra/build-app.js';
import { handlerTag } from '../../infra/stateless-stack.js';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Synthesized extends SparrausApp {
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  /** Resources of the stateless stack, by logical id. */
  readonly resources: Record<string, CfnResource>;
  /** The stateless stack's nested stack of alarms. */
  readonly alarmsTemplate: Template;
  /** Resources of the alarms stack, by logical id. */
  readonly alarmResources: Record<string, CfnResource>;
  /**
   * A value in the alarms stack as the stateless stack gives it: `{ Ref: parameter }` becomes the
   * value the stateless stack passes for that parameter (e.g. `{ Ref: functionId }`); anything else
   * is returned as is.
   */
  readonly fromStatelessStack: (value: unknown) => unknown;
  /** Handler id of each Lambda function, by logical id (from its handler tag). */
  readonly handlerOfFunction: ReadonlyMap<string, string>;
  /** Every IAM statement attached to the execution role of the function with this logical id. */
  readonly statementsOf: (functionLogicalId: string) => PolicyStatementJson[];
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Synthesizes without esbuild, so the tests stay fast and need no handler code to compile. */
export function synthesize(): Synthesized {
  const sparraus = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const statefulTemplate = Template.fromStack(sparraus.stateful);
  const statelessTemplate = Template.fromStack(sparraus.stateless);
  const resources = statelessTemplate.toJSON().Resources as Record<string, CfnResource>;
  const alarmsTemplate = Template.fromStack(sparraus.stateless.alarms);
  const alarmResources = alarmsTemplate.toJSON().Resources as Record<string, CfnResource>;
  const nestedStacks = ofType(resources, 'AWS::CloudFormation::Stack');
  if (nestedStacks.length !== 1) throw new Error(`Expected one nested stack, found ${nestedStacks.length}`);
  const passed = (nestedStacks[0]![1].Properties?.Parameters ?? {}) as Record<string, unknown>;
  const fromStatelessStack = (value: unknown): unknown => {
    const parameter = referencedId(value);
    return parameter !== undefined && parameter in passed ? passed[parameter] : value;
  };

  const handlerOfFunction = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const tags = (resource.Properties?.Tags ?? []) as { Key: string; Value: string }[];
    const tag = tags.find((t) => t.Key === handlerTag);
    if (!tag) throw new Error(`Function ${logicalId} has no ${handlerTag} tag`);
    handlerOfFunction.set(logicalId, tag.Value);
  }
  const statementsOf = (functionLogicalId: string): PolicyStatementJson[] => {
    const fn = resources[functionLogicalId];
    const roleId = referencedId(fn?.Properties?.Role, 'Arn');
    if (fn?.Type !== 'AWS::Lambda::Function' || !roleId) throw new Error(`${functionLogicalId} is no function with a role`);
    const role = resources[roleId]!;
    // Inline policies of the role itself, then every AWS::IAM::Policy attached to it.
    const inline = ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatementJson[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    );
    const attached = ofType(resources, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => referencedId(r) === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatementJson[]);
    return [...inline, ...attached];
  };
  return {
    ...sparraus,
    statefulTemplate,
    statelessTemplate,
    resources,
    alarmsTemplate,
    alarmResources,
    fromStatelessStack,
    handlerOfFunction,
    statementsOf,
  };
}

/** All resources of one type, by logical id. */
export function ofType(resources: Record<string, CfnResource>, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The logical id in `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }`, or undefined for anything else. */
export function referencedId(value: unknown, attribute?: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (attribute === undefined && typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && (attribute === undefined || getAtt[1] === attribute)) return getAtt[0];
  return undefined;
}

export const sorted = (values: Iterable<string>): string[] => [...values].sort();
