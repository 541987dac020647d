// The pipe on AWS says what the local relay does: both are read from infra/outbox-relay.ts, and this
// file holds the synthesized template to that definition (stream, filter, target mapping, retries),
// and the pipe's role to the least it needs.
import { describe, expect, it } from 'vitest';
import { outboxPipeStreamActions } from '../../infra/outbox-pipe.js';
import { outboxRelay } from '../../infra/outbox-relay.js';
import { createTableInput } from '../../infra/table-definition.js';
import { ofType, referencedId, synthesize } from './template.js';

const { stateful, statefulTemplate, resources, imported } = synthesize();
const table = ofType(statefulTemplate.toJSON().Resources, 'AWS::DynamoDB::Table')[0]![1];
const pipes = ofType(resources, 'AWS::Pipes::Pipe');
const pipe = pipes[0]![1].Properties!;
const tableConstruct = stateful.resources.table;

describe('the outbox pipe', () => {
  it('is the only pipe, reading the table stream of new images, the same stream DynamoDB Local gets', () => {
    expect(pipes).toHaveLength(1);
    expect(table.Properties!.StreamSpecification).toEqual({ StreamViewType: outboxRelay.streamViewType });
    expect(createTableInput('t').StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: outboxRelay.streamViewType });
    expect(pipe.Source).toEqual(imported(tableConstruct.tableStreamArn));
  });

  it('filters, maps and retries exactly as the definition says', () => {
    expect(pipe.SourceParameters.FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify(outboxRelay.filterPattern) }] });
    expect(pipe.SourceParameters.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: outboxRelay.source.startingPosition,
      BatchSize: outboxRelay.source.batchSize,
      MaximumRetryAttempts: outboxRelay.source.maximumRetryAttempts,
    });
    expect(pipe.TargetParameters).toEqual({
      InputTemplate: outboxRelay.target.inputTemplate,
      EventBridgeEventBusParameters: { DetailType: outboxRelay.target.detailType, Source: outboxRelay.target.source },
    });
    expect(pipe.Target).toEqual(imported(stateful.resources.eventBus.eventBusArn));
  });

  it('dead-letters into an encrypted, TLS-only queue with an alarm', () => {
    const queueId = referencedId(pipe.SourceParameters.DynamoDBStreamParameters.DeadLetterConfig.Arn)!;
    expect(resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      a.Properties!.Dimensions?.some((d: { Value: unknown }) => referencedId(d.Value) === queueId),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
  });

  it('runs under a role that may read this stream, put events on this bus and dead-letter into its queue, nothing else', () => {
    const roleId = referencedId(pipe.RoleArn)!;
    expect(resources[roleId]!.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'pipes.amazonaws.com' } },
    ]);
    const policies = ofType(resources, 'AWS::IAM::Policy').filter(([, p]) =>
      p.Properties!.Roles.some((r: unknown) => referencedId(r) === roleId),
    );
    const statements = policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
    const queueId = referencedId(pipe.SourceParameters.DynamoDBStreamParameters.DeadLetterConfig.Arn)!;
    expect(statements).toEqual([
      { Effect: 'Allow', Action: outboxPipeStreamActions, Resource: pipe.Source },
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: pipe.Target },
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    ]);
  });
});
