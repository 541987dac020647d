// Test helper: synthesizes the real app once per test file (bundling skipped) and reads its templates as plain data, the stateless stack's nested stacks as part of it.
import { NestedStack, type Stack } from 'aws-cdk-lib';
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
  /** The pages' deployment stack (infra/site.ts SitePagesStack). */
  readonly siteTemplate: Template;
  /**
   * The stateless stack and its nested stacks (alarm topic, one per capability) as one template:
   * every resource of each, with each nested stack's parameters replaced by what the stateless stack
   * passes and each `Outputs.` attribute of a nested stack by that output's value. References read
   * as if it were one stack, which is what the tests check; how it is split, `stacks` tells.
   */
  readonly statelessTemplate: Template;
  /** Resources of `statelessTemplate`, by logical id. */
  readonly resources: Record<string, CfnResource>;
  /** Every stack of the app as synthesized (top-level and nested), by construct path. */
  readonly stacks: ReadonlyMap<string, { readonly stack: Stack; readonly template: TemplateJson }>;
  /** Handler id of each Lambda function, by logical id (from its handler tag). */
  readonly handlerOfFunction: ReadonlyMap<string, string>;
  /** Every IAM statement attached to the execution role of the function with this logical id. */
  readonly statementsOf: (functionLogicalId: string) => PolicyStatementJson[];
  /**
   * How the stateless stacks read a value of the stateful stack (a token such as the table's name):
   * `{ 'Fn::ImportValue': <the stateful stack's export of it> }`. (`stateless.resolve(token)` gives
   * that only for values the stateless stack itself uses, not those only its nested stacks use.)
   */
  readonly imported: (statefulToken: unknown) => unknown;
}

export interface TemplateJson {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown }>;
  readonly Conditions?: Record<string, unknown>;
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Synthesizes without esbuild, so the tests stay fast and need no handler code to compile. */
export function synthesize(): Synthesized {
  const sparraus = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateless } = sparraus;
  const nested = stateless.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
  const stacks = new Map<string, { stack: Stack; template: TemplateJson }>();
  for (const stack of [sparraus.stateful, stateless, ...nested, sparraus.site]) {
    stacks.set(stack.node.path, { stack, template: Template.fromStack(stack).toJSON() as TemplateJson });
  }
  const templateOf = (stack: Stack) => stacks.get(stack.node.path)!.template;
  const nestedByLogicalId = new Map(nested.map((n) => [stateless.getLogicalId(n.nestedStackResource!), n]));
  const logicalIdOfNested = new Map([...nestedByLogicalId].map(([id, n]) => [n, id]));

  /** `value` as it reads in `stateless`'s terms (see statelessTemplate). */
  const flatten = (stack: Stack, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => flatten(stack, v));
    if (!value || typeof value !== 'object') return value;
    const v = value as Record<string, unknown>;
    if (NestedStack.isNestedStack(stack) && typeof v.Ref === 'string') {
      const parent = stack.nestedStackParent!;
      const passed = (templateOf(parent).Resources[logicalIdOfNested.get(stack)!]!.Properties?.Parameters ?? {}) as Record<
        string,
        unknown
      >;
      if (v.Ref in passed) return flatten(parent, passed[v.Ref]);
    }
    const getAtt = v['Fn::GetAtt'];
    if (stack === stateless && Array.isArray(getAtt) && String(getAtt[1]).startsWith('Outputs.')) {
      const producer = nestedByLogicalId.get(getAtt[0] as string);
      const output = producer && templateOf(producer).Outputs?.[String(getAtt[1]).slice('Outputs.'.length)];
      if (output) return flatten(producer, output.Value);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flatten(stack, x)]));
  };
  const resources: Record<string, CfnResource> = {};
  const conditions: Record<string, unknown> = {};
  for (const stack of [stateless, ...nested]) {
    const template = templateOf(stack);
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type === 'AWS::CDK::Metadata') continue;
      if (logicalId in resources) throw new Error(`Logical id ${logicalId} is in two stateless stacks`);
      resources[logicalId] = flatten(stack, resource) as CfnResource;
    }
    for (const [name, condition] of Object.entries(template.Conditions ?? {})) {
      if (name in conditions) throw new Error(`Condition ${name} is in two stateless stacks`);
      conditions[name] = flatten(stack, condition);
    }
  }
  const parent = templateOf(stateless);
  const statelessTemplate = Template.fromJSON(
    { Parameters: parent.Parameters, Outputs: parent.Outputs, Conditions: conditions, Resources: resources },
    { skipCyclicalDependenciesCheck: true },
  );
  const statefulTemplate = Template.fromJSON(templateOf(sparraus.stateful) as never);
  const siteTemplate = Template.fromJSON(templateOf(sparraus.site) as never);

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
  const statefulOutputs = Object.values(templateOf(sparraus.stateful).Outputs ?? {}) as {
    Value: unknown;
    Export?: { Name: string };
  }[];
  const imported = (statefulToken: unknown): unknown => {
    const value = JSON.stringify(sparraus.stateful.resolve(statefulToken));
    const output = statefulOutputs.find((o) => o.Export && JSON.stringify(o.Value) === value);
    if (!output) throw new Error(`The stateful stack exports no ${value}`);
    return { 'Fn::ImportValue': output.Export!.Name };
  };
  return {
    ...sparraus,
    imported,
    statefulTemplate,
    siteTemplate,
    statelessTemplate,
    resources,
    stacks,
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
