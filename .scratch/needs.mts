import { bundleHandler, commandsIn } from '../bench/bundle.js';
import { allHandlerIds, needsOf } from '../infra/wiring.js';
const stale: string[] = [];
for (const id of allHandlerIds()) {
  if (!needsOf(id).includes('publish-events')) continue;
  const commands = commandsIn((await bundleHandler(id)).metafile);
  if (!(commands.eventbridge ?? []).includes('PutEventsCommand')) stale.push(id);
}
console.log(JSON.stringify(stale));
