// What an SES failure means for a bulk send: slow down, wait and retry, stop the batch, or give up
// on this one address.
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { isServiceUnavailable } from '../shared/aws.js';

export type SendFailure = 'throttled' | 'transient' | 'paused' | 'rejected';

const throttlingNames = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);
/** The account or sending is paused: no address will go through until someone acts; stop, do not fail them. */
const pausedNames = new Set(['SendingPausedException', 'AccountSuspendedException', 'MailFromDomainNotVerifiedException']);

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof Error)) return 'transient';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (throttlingNames.has(error.name) || status === 429) return 'throttled';
  if (pausedNames.has(error.name)) return 'paused';
  if (isServiceUnavailable(error)) return 'transient';
  // SES refused this message (a bad address, a rejected message): retrying will not change that.
  if (error instanceof SESv2ServiceException && status !== undefined && status >= 400 && status < 500) return 'rejected';
  // Anything else (the table, the network, a bug) is not the address's fault.
  return 'transient';
}
