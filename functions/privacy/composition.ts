// The composition roots of the privacy handlers, bound to the table. Each handler gets only the ports
// its use case takes, so its function's grant stays as narrow as its work (the grants follow what
// each bundle can call): the export reads only.
import { HistoryStore } from '../history/store.js';
import { defaultRetentionDays } from '../intake/domain.js';
import { config } from '../shared/config.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoPersonalDataReader, DynamoPersonalDataStore } from '../stores/personal-data.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import type { PersonalDataReader, PersonalDataStore } from '../stores/personal-data.js';
import type { PrivacyPorts } from './use-cases.js';

let ports: PrivacyPorts | undefined;
let exportPorts: { table: PersonalDataReader } | undefined;
let erasurePorts: { table: PersonalDataStore } | undefined;

export function privacyPorts(): PrivacyPorts {
  ports ??= bind(config.tableName());
  return ports;
}

function bind(table: string): PrivacyPorts {
  const [rounds, applications] = [new DynamoRoundStore(table), new DynamoApplicationStore(table)];
  return {
    table: new DynamoPersonalDataStore(table),
    rounds: {
      listRounds: () => rounds.list(),
      listRoundApplications: (roundId) => applications.listOfRound(roundId),
      markPersonalDataErased: (roundId, at) => rounds.markPersonalDataErased(roundId, at),
    },
    history: new HistoryStore(table),
    defaultRetentionDays,
  };
}

export function privacyExportPorts(): { table: PersonalDataReader } {
  exportPorts ??= { table: new DynamoPersonalDataReader(config.tableName()) };
  return exportPorts;
}

export function privacyErasurePorts(): { table: PersonalDataStore } {
  erasurePorts ??= { table: new DynamoPersonalDataStore(config.tableName()) };
  return erasurePorts;
}
