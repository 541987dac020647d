// Physical names the stacks give and the operator tools (infra/replay-dead-letters.ts) look up: plain
// strings, no CDK import, so a CLI can use them without loading aws-cdk-lib.

/** Name of the custom event bus every capability publishes to. */
export const eventBusName = 'sparraus';

/** Every EventBridge rule of the stacks is named with this prefix, on either bus. */
export const rulePrefix = 'sparraus-';

/** Physical name of the EventBridge rule for a key of `eventRules` or `scheduleRules`. */
export function ruleName(key: string): string {
  return `${rulePrefix}${key}`;
}

/**
 * Physical name of the rule on the default bus that forwards the AWS service events of the
 * `eventRules` entry `key` to the sparraus bus (AWS services publish to the default bus only).
 */
export function forwardRuleName(key: string): string {
  return `${rulePrefix}forward-${key}`;
}

/** Tag on every function naming its handler id, so template, console and bill all say which handler it is. */
export const handlerTag = 'sparraus:handler';

/** Every CloudWatch alarm of the stacks is named with this prefix. */
export const alarmPrefix = 'sparraus-';
