// The composition root of the privacy handlers: the whole table, the rounds' retention and the history, bound to the table.
import { HistoryStore } from '../history/store.js';
import { defaultRetentionDays } from '../intake/domain.js';
import { intakeStore } from '../intake/store-instance.js';
import { config } from '../shared/config.js';
import { DynamoPersonalDataStore } from '../stores/personal-data.js';
import type { PrivacyPorts } from './use-cases.js';

let ports: PrivacyPorts | undefined;

export function privacyPorts(): PrivacyPorts {
  ports ??= {
    table: new DynamoPersonalDataStore(config.tableName()),
    rounds: intakeStore(),
    history: new HistoryStore(config.tableName()),
    defaultRetentionDays,
  };
  return ports;
}
