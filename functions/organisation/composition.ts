// The composition root of the organisation handlers: the register bound to the table.
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { DynamoMunicipalityStore } from '../stores/municipalities.js';
import type { OrganisationPorts } from './use-cases.js';

let ports: OrganisationPorts | undefined;

export function organisationPorts(): OrganisationPorts {
  ports ??= { municipalities: new DynamoMunicipalityStore(config.tableName()), clock: systemClock };
  return ports;
}
