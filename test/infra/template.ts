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
  /** Handler id of each Lambda function, by logical id (from its handler tag). */
  readonly handlerOfFunction: ReadonlyMap<string, string>;
}

/** Synthesizes without esbuild, so the tests stay fast and need no handler code to compile. */
export function synthesize(): Synthesized {
  const sparraus = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const statefulTemplate = Template.fromStack(sparraus.stateful);
  const statelessTemplate = Template.fromStack(sparraus.stateless);
  const resources = statelessTemplate.toJSON().Resources as Record<string, CfnResource>;

  const handlerOfFunction = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const tags = (resource.Properties?.Tags ?? []) as { Key: string; Value: string }[];
    const tag = tags.find((t) => t.Key === handlerTag);
    if (!tag) throw new Error(`Function ${logicalId} has no ${handlerTag} tag`);
    handlerOfFunction.set(logicalId, tag.Value);
  }
  return { ...sparraus, statefulTemplate, statelessTemplate, resources, handlerOfFunction };
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
