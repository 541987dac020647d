// The composition roots of the privacy handlers, bound to the table. Each handler gets only the ports
// its use case takes, so its function's grant stays as narrow as its work (the grants follow what
// each bundle can call): the export reads only.
import { HistoryStore } from '../history/store.js';
import { defaultRetentionDays } from '../intake/domain.js';
import { intakeStore } from '../intake/store-instance.js';
import { config } from '../shared/config.js';
import { DynamoPersonalDataReader, DynamoPersonalDataStore } from '../stores/personal-data.js';
import type { PersonalDataReader, PersonalDataStore } from '../stores/personal-data.js';
import type { PrivacyPorts } from './use-cases.js';

let ports: PrivacyPorts | undefined;
let exportPorts: { table: PersonalDataReader } | undefined;
let erasurePorts: { table: PersonalDataStore } | undefined;

export function privacyPorts(): PrivacyPorts {
  ports ??= {
    table: new DynamoPersonalDataStore(config.tableName()),
    rounds: intakeStore(),
    history: new HistoryStore(config.tableName()),
    defaultRetentionDays,
  };
  return ports;
}

export function privacyExportPorts(): { table: PersonalDataReader } {
  exportPorts ??= { table: new DynamoPersonalDataReader(config.tableName()) };
  return exportPorts;
}

export function privacyErasurePorts(): { table: PersonalDataStore } {
  erasurePorts ??= { table: new DynamoPersonalDataStore(config.tableName()) };
  return erasurePorts;
}
