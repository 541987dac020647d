// CloudWatch alarms of the stateless stack: one on every dead-letter queue, one on errors and one on
// throttles of every function, all notifying one SNS topic (mailed to AlarmEmail when it is given).
// The topic lives in a nested stack of its own; each alarm lives in the stack of what it watches (a
// capability's nested stack, see capability-stack.ts), so that no stack collects an alarm, and a
// parameter, per function: CloudFormation allows 500 resources and 200 parameters a template.
import { CfnCondition, Duration, Fn, NestedStack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSubscription, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { alarmPrefix } from './names.js';

/**
 * What each alarm watches. One bad minute is worth a look at this system's scale (a few hundred
 * requests a day, bursts when invitations go out), so every alarm fires on the first occurrence in
 * a five-minute period and returns to OK by itself once a period passes without one.
 */
export const alarmPolicy = {
  /**
   * A dead letter is an event a handler never handled: ALARM while any is waiting, until it is
   * replayed or deleted (`npm run dlq:aws`). No datapoint keeps the last state, since SQS may stop
   * sending metrics for a queue nobody touches, and an unread dead letter must not turn OK by itself.
   */
  deadLetters: {
    metricName: 'ApproximateNumberOfMessagesVisible',
    statistic: Stats.MAXIMUM,
    period: Duration.minutes(5),
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    threshold: 0,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.IGNORE,
  },
  /**
   * Unhandled errors (a thrown exception, a timeout, running out of memory): an HTTP caller got a
   * 5xx, or an event is being retried. Lambda only reports the metric when the function runs, so no
   * datapoint means nothing went wrong.
   */
  errors: {
    metricName: 'Errors',
    statistic: Stats.SUM,
    period: Duration.minutes(5),
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  },
  /**
   * Invocations refused for want of concurrency: an HTTP caller got a 429 or 500; an asynchronous
   * event waits and is retried for up to six hours. Either way the account's concurrency is too low
   * (new accounts start at 10) or something is flooding the function.
   */
  throttles: {
    metricName: 'Throttles',
    statistic: Stats.SUM,
    period: Duration.minutes(5),
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  },
} as const;

/**
 * Emails SES refused for good (functions/shared/mailer.ts logs "email failed"): a metric filter on
 * the log group of every function that mails (capability-stack.ts) counts them into this metric.
 */
export const emailFailureMetric = { namespace: 'sparraus', metricName: 'EmailsFailed' } as const;

export interface AlarmsStackProps {
  /** Address the alarm topic mails, or '' for none (the topic is still there to subscribe to). */
  readonly alarmEmail: string;
}

/** The alarm topic, and the alarms added to it by `forFunction` and `forDeadLetters`. */
export class AlarmsStack extends NestedStack {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsStackProps) {
    super(scope, id, {
      description: 'sparraus alarm topic: every alarm (dead letters, function errors and throttles) notifies it',
    });
    // Not encrypted: a notification carries an alarm's name, description, metric and threshold,
    // never personal data, and CloudWatch cannot publish to a topic under the AWS managed SNS key
    // (only under a customer managed key, at a monthly fee). Publishing requires TLS (AwsSolutions-SNS3).
    this.topic = new Topic(this, 'Topic', { displayName: 'sparraus alarms', enforceSSL: true });
    this.action = new SnsAction(this.topic);

    // Subscribed only when an address is given; SNS mails it a confirmation link first.
    const subscription = new Subscription(this, 'EmailSubscription', {
      topic: this.topic,
      protocol: SubscriptionProtocol.EMAIL,
      endpoint: props.alarmEmail,
    });
    const hasEmail = new CfnCondition(this, 'HasAlarmEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.alarmEmail, '')),
    });
    (subscription.node.defaultChild as CfnSubscription).cfnOptions.condition = hasEmail;
  }

  /**
   * Error and throttle alarms of one function, named after `name` (the function's construct name),
   * created in `scope` (the function's stack).
   */
  forFunction(scope: Construct, name: string, handlerId: string, fn: IFunction): void {
    this.add(
      scope,
      `${name}Errors`,
      `${alarmPrefix}${name}-errors`,
      fn.metric(alarmPolicy.errors.metricName),
      alarmPolicy.errors,
      `${handlerId} failed (threw, timed out or ran out of memory) at least once in 5 minutes. Its log group says why.`,
    );
    this.add(
      scope,
      `${name}Throttles`,
      `${alarmPrefix}${name}-throttles`,
      fn.metric(alarmPolicy.throttles.metricName),
      alarmPolicy.throttles,
      `${handlerId} was throttled at least once in 5 minutes: raise the account's Lambda concurrency or find what floods it.`,
    );
  }

  /** The alarm of one dead-letter queue, created in `scope`; `what` says whose dead letters it holds. */
  forDeadLetters(
    scope: Construct,
    name: string,
    queue: IQueue,
    what: string,
    recovery = 'List and replay them with npm run dlq:aws -- list / replay (README).',
  ): void {
    this.add(
      scope,
      `${name}Alarm`,
      `${alarmPrefix}${name}`,
      queue.metric(alarmPolicy.deadLetters.metricName),
      alarmPolicy.deadLetters,
      `Dead letters of ${what} are waiting. ${recovery}`,
    );
  }

  /** One alarm on every email SES refused for good, whichever function sent it. */
  forEmailFailures(scope: Construct): void {
    this.add(
      scope,
      'EmailsFailedAlarm',
      `${alarmPrefix}emails-failed`,
      new Metric({ ...emailFailureMetric }),
      alarmPolicy.errors,
      'SES refused at least one email for good in 5 minutes. The record (status failed, with the reason and the body) is in the table; the privacy export shows it; replaying the event sends it once the cause is fixed.',
    );
  }

  private add(
    scope: Construct,
    id: string,
    alarmName: string,
    metric: Metric,
    policy: (typeof alarmPolicy)[keyof typeof alarmPolicy],
    alarmDescription: string,
  ): void {
    const alarm = new Alarm(scope, id, {
      alarmName,
      alarmDescription,
      metric: metric.with({ statistic: policy.statistic, period: policy.period }),
      threshold: policy.threshold,
      comparisonOperator: policy.comparisonOperator,
      evaluationPeriods: policy.evaluationPeriods,
      treatMissingData: policy.treatMissingData,
    });
    alarm.addAlarmAction(this.action);
  }
}
