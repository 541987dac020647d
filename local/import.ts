// npm run import -- municipalities <file>: imports the municipality register through the API
// (PUT /municipalities), as an admin. Against the local runtime it takes an admin token from
// /dev/token; elsewhere pass SPARRAUS_API_URL and SPARRAUS_TOKEN (an admin's id token).
import { readFile } from 'node:fs/promises';
import { MunicipalityRegisterBody, type RegisterImportResult } from '../schemas/api/organisation.js';

function fail(message: string): never {
  console.error(`import: ${message}`);
  process.exit(1);
}

async function adminToken(api: string): Promise<string> {
  if (process.env.SPARRAUS_TOKEN) return process.env.SPARRAUS_TOKEN;
  const response = await fetch(`${api}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'admin', email: 'admin@sparraus.local' }),
  }).catch(() => fail(`no API answers at ${api}: start it with npm start, or set SPARRAUS_API_URL`));
  if (!response.ok) fail(`${api}/dev/token answered ${response.status}: set SPARRAUS_TOKEN to an admin's id token`);
  return ((await response.json()) as { token: string }).token;
}

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if (kind !== 'municipalities' || !file) fail('usage: npm run import -- municipalities <file.json>');
  const rows = MunicipalityRegisterBody.safeParse(
    JSON.parse(await readFile(file, 'utf8').catch(() => fail(`cannot read ${file}`))),
  );
  if (!rows.success) {
    for (const issue of rows.error.issues.slice(0, 20)) console.error(`  row ${issue.path.join('.')}: ${issue.message}`);
    fail(`${file} was not imported (${rows.error.issues.length} problem(s) above); nothing changed`);
  }
  const api = (process.env.SPARRAUS_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const response = await fetch(`${api}/municipalities`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken(api)}` },
    body: JSON.stringify(rows.data),
  });
  const body = await response.json();
  if (!response.ok) fail(`the API refused the register (${response.status}): ${JSON.stringify(body)}`);
  const result = body as RegisterImportResult;
  console.log(
    `imported ${result.total} municipalities: ${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed, ${result.unchanged} unchanged`,
  );
  for (const m of result.removed) console.log(`  removed ${m.code} ${m.name_fi} (kept on record with its history)`);
}

await main();
