// The outbox relay on AWS: an EventBridge Pipe from the table's stream to the bus, built from the one
// definition in outbox-relay.ts (the local relay, local/stream-relay.ts, reads the same). Records the
// bus keeps refusing go to a dead-letter queue with an alarm, so an event is never dropped unseen.
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmsStack } from './alarms.js';
import { newDeadLetterQueue } from './capability-stack.js';
import { outboxRelay } from './outbox-relay.js';

export interface OutboxPipeProps {
  /** The table; its stream must carry new images (stateful-stack.ts turns it on). */
  readonly table: ITable;
  readonly eventBus: IEventBus;
  readonly alarms: AlarmsStack;
}

/** The pipe's settings, as CloudFormation takes them, from the relay definition. */
export function outboxPipeParameters(streamArn: string, eventBusArn: string, deadLetterArn: string) {
  const { filterPattern, target, source } = outboxRelay;
  return {
    source: streamArn,
    sourceParameters: {
      dynamoDbStreamParameters: {
        startingPosition: source.startingPosition,
        batchSize: source.batchSize,
        maximumRetryAttempts: source.maximumRetryAttempts,
        deadLetterConfig: { arn: deadLetterArn },
      },
      filterCriteria: { filters: [{ pattern: JSON.stringify(filterPattern) }] },
    },
    target: eventBusArn,
    targetParameters: {
      inputTemplate: target.inputTemplate,
      eventBridgeEventBusParameters: { detailType: target.detailType, source: target.source },
    },
  };
}

/** What a pipe with a DynamoDB stream source must be allowed on that stream (EventBridge Pipes' documentation). */
export const outboxPipeStreamActions = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

export class OutboxPipe extends Construct {
  readonly pipe: CfnPipe;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: OutboxPipeProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('The outbox pipe needs the table to have a stream');

    const what = 'the outbox pipe (event items the bus kept refusing)';
    this.deadLetters = newDeadLetterQueue(this, 'DeadLetters', what);
    // A stream source's dead letter names the failed batch (shard and sequence numbers), not its
    // records: recovery reads those records again from the stream, which keeps them for 24 hours.
    props.alarms.forDeadLetters(
      this,
      'OutboxPipeDeadLetters',
      this.deadLetters,
      what,
      'Each names a batch of the table stream (shard, sequence numbers) that the bus refused; re-read it within 24 hours (README, "The outbox").',
    );

    // Least privilege: read this table's stream, put events on this bus, dead-letter into this queue.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com'),
      description: 'The sparraus outbox pipe: table stream to event bus',
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: outboxPipeStreamActions,
        resources: [streamArn],
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }));
    this.deadLetters.grantSendMessages(role);

    this.pipe = new CfnPipe(this, 'Pipe', {
      description: 'Relays each event item written to the table onto the sparraus bus (infra/outbox-relay.ts)',
      roleArn: role.roleArn,
      ...outboxPipeParameters(streamArn, props.eventBus.eventBusArn, this.deadLetters.queueArn),
    });
  }
}
