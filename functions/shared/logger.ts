// One structured JSON logger for every handler. Log ids, never personal data (names, emails).
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'sparraus' });
