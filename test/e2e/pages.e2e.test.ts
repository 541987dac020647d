// Browser tests: headless Debian Chromium (playwright-core, never a downloaded browser) walks the
// lifecycle through the pages served at /app/ by the local stack, and keeps a screenshot of each page
// in test-results/screenshots/. Skipped, with a message, where /usr/bin/chromium is missing.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { createIsolatedTable, readInbox, waitFor } from '../../local/testing.js';
import { buildWeb } from '../../web/build.js';
import { chromiumPath, hasChromium, launchChromium } from '../support/chromium.js';

if (!hasChromium) {
  console.warn(`pages.e2e: skipped: ${chromiumPath} is missing (apt-get install -y chromium; .ci/run does this in CI)`);
}

const screenshots = path.resolve('test-results/screenshots');
const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const coordinatorEmail = `coordinator-${unique}@example.fi`;
const tutorEmail = `tutor-${unique}@example.fi`;
const contactEmail = `contact-${unique}@example.fi`;
const secondContactEmail = `contact2-${unique}@example.fi`;
const attendeeEmail = `attendee-${unique}@example.fi`;
const roundName = `Kevät ${unique}`;
// Municipality codes from the test's own run, so reruns against a kept table never collide.
const code = (n: number) => String(((Number.parseInt(unique.slice(-4), 36) + n) % 900) + 100);

let stack: LocalStack;
let browser: Browser;
let coordinator: BrowserContext;
let tutor: BrowserContext;
let visitor: BrowserContext;
let shot = 0;
let roundUrl = '';
let statusUrl = '';
let webinarId = '';

async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: path.join(screenshots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Every visible form control has an accessible name (a tied label, legend or aria-label). */
async function expectLabelledControls(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML)`);
  expect(unlabelled).toEqual([]);
}

async function signIn(context: BrowserContext, role: 'coordinator' | 'tutor', email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/app/signin`);
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

describe.skipIf(!hasChromium)('pages in headless Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // Only this run's pictures, numbered in the order the lifecycle reaches them.
    await rm(screenshots, { recursive: true, force: true });
    await mkdir(screenshots, { recursive: true });
    // Built here (not lazily by the server) so the test always runs the current sources.
    await buildWeb({ quiet: true });
    stack = await startLocalStack({
      port: 0,
      eventsPort: 0,
      dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      sesEndpoint: process.env.AWS_ENDPOINT_URL_SESV2,
      dataDir: null,
      tableName: await createIsolatedTable('e2e-pages'),
      manualSchedules: true,
      retry: { attempts: 3, baseDelayMs: 10 },
      quiet: true,
    });
    browser = await launchChromium();
    // English pages, so the test reads one language; a separate check switches to Swedish.
    const options = { locale: 'en-GB', viewport: { width: 1100, height: 900 }, acceptDownloads: true };
    [coordinator, tutor, visitor] = await Promise.all([
      browser.newContext(options),
      browser.newContext(options),
      browser.newContext(options),
    ]);
    for (const context of [coordinator, tutor, visitor]) {
      await context.addInitScript(`localStorage.setItem('sparraus.lang', localStorage.getItem('sparraus.lang') || 'en')`);
      // confirm() dialogs are the "are you sure" step; the test is sure.
      context.setDefaultTimeout(10_000);
      context.on('page', (page) => page.on('dialog', (dialog) => void dialog.accept()));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('serves the pages at /app/ with lang set, and switches language', async () => {
    const page = await visitor.newPage();
    await page.goto(`${stack.apiUrl}/app/`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: 'Open coaching rounds' }).waitFor();
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('heading', { level: 1, name: 'Öppna sparringomgångar' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.getByRole('button', { name: 'Svenska' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Suomi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Avoimet sparrauskierrokset' }).waitFor();
    await screenshot(page, 'public-rounds-fi');
    await page.getByRole('button', { name: 'English' }).click();
    await page.close();
  });

  it('a coordinator signs in and creates a round', async () => {
    const page = await signIn(coordinator, 'coordinator', coordinatorEmail);
    await page.getByRole('heading', { level: 1, name: 'Rounds' }).waitFor();
    await page.getByLabel(/^Name\b/).fill(roundName);
    await page.getByLabel(/^Region/).fill('01');
    await page.getByLabel(/^Places/).fill('1');
    await page.getByRole('checkbox', { name: 'English' }).check();
    await expectLabelledControls(page);
    await screenshot(page, 'coordinator-rounds');
    await page.getByRole('button', { name: 'Create the round' }).click();
    await page.getByRole('heading', { level: 1, name: roundName }).waitFor();
    roundUrl = page.url();
    expect(roundUrl).toMatch(/\/app\/coordinator\/rounds\/[^/]+$/);
    await page.close();
  });

  it('a municipality applies, sees the API’s field error next to the email, then gets in', async () => {
    const page = await visitor.newPage();
    await page.goto(`${stack.apiUrl}/app/`);
    await page.getByRole('link', { name: `Apply to ${roundName}` }).click();
    await page.getByRole('heading', { level: 1, name: `Apply: ${roundName}` }).waitFor();
    await page.getByRole('textbox', { name: 'Municipality', exact: true }).fill('Espoo');
    await page.getByLabel(/^Municipality code/).fill(code(1));
    await page.getByLabel(/^Contact person/).fill('Maija Meikäläinen');
    await page.getByLabel(/^Contact email/).fill('not-an-email');
    await page.getByLabel(/^Themes/).fill('remote support, digital skills');
    await page.getByLabel(/^I agree/).check();
    await expectLabelledControls(page);
    await page.getByRole('button', { name: 'Send application' }).click();

    // The API's issue for contact.email lands on that input: its message, tied by aria-describedby.
    const email = page.getByLabel(/^Contact email/);
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await email.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(await page.locator(`#${errorId}`).textContent()).toMatch(/valid email/);
    expect(await page.getByRole('alert').first().textContent()).toMatch(/Contact email/);
    // Focus moved to the field in error, so a screen reader reads its message.
    const emailId = await email.getAttribute('id');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe(emailId);
    await screenshot(page, 'apply-field-error');

    await email.fill(contactEmail);
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.getByRole('heading', { level: 1, name: 'Application received' }).waitFor();
    await page.getByRole('link', { name: 'Follow the application' }).click();
    await page.getByRole('heading', { level: 1, name: 'Application status' }).waitFor();
    await page.getByText('Received', { exact: true }).first().waitFor();
    statusUrl = page.url();
    await screenshot(page, 'application-status-received');

    // A second municipality, for the waiting list (the round has one place).
    await page.goto(`${stack.apiUrl}/app/`);
    await page.getByRole('link', { name: `Apply to ${roundName}` }).click();
    await page.getByRole('textbox', { name: 'Municipality', exact: true }).fill('Vantaa');
    await page.getByLabel(/^Municipality code/).fill(code(2));
    await page.getByLabel(/^Contact person/).fill('Matti Meikäläinen');
    await page.getByLabel(/^Contact email/).fill(secondContactEmail);
    await page.getByLabel(/^Themes/).fill('digital skills');
    await page.getByLabel(/^I agree/).check();
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.getByRole('heading', { level: 1, name: 'Application received' }).waitFor();
    await page.close();

    // The emailed link points at the same application the page showed.
    const [mail] = await waitFor(async () => {
      const emails = await readInbox({ to: contactEmail });
      return emails.length > 0 ? emails : undefined;
    });
    expect(mail!.body.text ?? '').toContain(new URL(statusUrl).pathname.replace('/app', ''));
  });

  it('the coordinator selects; the chart shows the stages', async () => {
    const page = await coordinator.newPage();
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1, name: roundName }).waitFor();
    await page.getByRole('button', { name: 'Select now: first come' }).click();
    await page.getByText('Selected: 1 accepted, 1 on the waiting list.').waitFor();
    const chart = page.getByRole('img', { name: /Applications by stage/ });
    expect(await chart.locator('desc').textContent()).toContain('Accepted: 1, On the waiting list: 1');
    await page.getByRole('cell', { name: 'On the waiting list' }).first().waitFor();
    await expectLabelledControls(page);
    await screenshot(page, 'coordinator-round-selected');
    await page.close();
  });

  it('the coordinator adds a tutor and assigns them', async () => {
    const page = await coordinator.newPage();
    await page.goto(`${stack.apiUrl}/app/coordinator/tutors`);
    await page.getByLabel(/^Name\b/).fill('Tuula Tutor');
    await page.getByLabel(/^Email\b/).fill(tutorEmail);
    await page.getByRole('checkbox', { name: 'English' }).check();
    await page.getByLabel(/^Regions/).fill('01');
    await page.getByRole('button', { name: 'Add the tutor' }).click();
    await page.getByText('Tuula Tutor was added.').waitFor();
    await screenshot(page, 'coordinator-tutors');

    // Assignment: automatic when a tutor fits; the page's assign button works either way.
    await page.goto(roundUrl);
    const select = page.getByLabel('Tutor for Espoo');
    await select.waitFor();
    const value = await select.locator('option', { hasText: 'Tuula Tutor' }).getAttribute('value');
    await select.selectOption(value!);
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByText('The tutor was assigned.').waitFor();
    await page.getByRole('cell', { name: 'Tuula Tutor', exact: true }).first().waitFor();
    await screenshot(page, 'coordinator-round-assigned');
    await page.close();
  });

  it('the tutor signs in, schedules and logs a kickoff', async () => {
    const page = await signIn(tutor, 'tutor', tutorEmail);
    await page.goto(`${stack.apiUrl}/app/tutor`);
    await page.getByRole('heading', { level: 2, name: 'Espoo' }).waitFor();
    await page.getByText('Schedule a meeting').click();
    await page.getByLabel(/^Meeting link/).fill('https://meet.example.fi/kickoff');
    await page.getByRole('button', { name: 'Schedule and send the invitation' }).click();
    await page.getByText('The meeting was scheduled and the invitations sent.').waitFor();

    await page.getByText('Log the Kickoff').click();
    await page.getByLabel(/^Participants from the municipality/).fill('4');
    await page.getByLabel(/^Notes/).fill('Went through the remote support model.');
    await page.getByLabel(/^Actions agreed/).fill('Map the support points\nTrain two digital helpers');
    await expectLabelledControls(page);
    await page.getByRole('button', { name: 'Save the log' }).click();
    // Tomorrow's meeting cannot be logged yet: the API's 409 shows in the form's alert summary.
    await page
      .getByRole('alert')
      .getByText(/has not begun yet/)
      .waitFor();
    await screenshot(page, 'tutor-log-too-early');
    // Two days pass (the local clock every handler reads), then the log is taken.
    const moved = await fetch(`${stack.apiUrl}/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceBy: 'P2D' }),
    });
    expect(moved.status).toBe(200);
    await page.getByRole('button', { name: 'Save the log' }).click();
    await page.getByText('The session was logged.').waitFor();
    await page.getByText(/Logged: 4 participants/).waitFor();
    await screenshot(page, 'tutor-municipalities');
    await page.close();
  });

  it('the status page shows the tutor and the meeting', async () => {
    const page = await visitor.newPage();
    await page.goto(statusUrl);
    await page.getByText('Accepted', { exact: true }).first().waitFor();
    await page.getByText(/Tuula Tutor/).waitFor();
    await page.getByRole('link', { name: 'Join the Kickoff' }).waitFor();
    await page.getByLabel(/^What would you like to cover/).fill('Accessibility of our e-services');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Your request was sent to your tutor.').waitFor();
    await screenshot(page, 'application-status-accepted');
    await page.close();
  });

  it('the round page shows the situational picture with the logged meeting', async () => {
    const page = await coordinator.newPage();
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 2, name: 'Situational picture' }).waitFor();
    const row = page.locator('table', { has: page.getByText('Themes raised') }).getByRole('row', { name: /Espoo/ });
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 10_000 }).toMatch(/Tuula Tutor/);
    expect(await row.textContent()).toMatch(/1 \(\d+(\.\d+)? h\)/);
    await screenshot(page, 'coordinator-situational-picture');
    await page.close();
  });

  it('the coordinator creates the webinar and invites', async () => {
    const page = await coordinator.newPage();
    await page.goto(roundUrl);
    await page.getByText('Create the webinar').first().click();
    await page.getByLabel(/^Title\b/).fill('Loppuwebinaari');
    await page.getByLabel(/^Seats/).fill('1');
    await page.getByLabel(/^Meeting link/).fill('https://meet.example.fi/webinar');
    await page.getByRole('button', { name: 'Create the webinar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Loppuwebinaari' }).waitFor();
    webinarId = page.url().split('/').pop()!;
    await page.getByRole('button', { name: 'Send the invitations' }).click();
    // The batch runs in the background; the page polls its progress.
    await page.locator('#invitation-progress').getByText('Done').waitFor({ timeout: 20_000 });
    await screenshot(page, 'coordinator-webinar-invited');
    await waitFor(
      async () =>
        (await readInbox({ to: contactEmail })).some(
          (m) => /webinar/i.test(m.subject) || (m.body.text ?? '').includes(webinarId),
        ),
      {
        message: 'the invitation to the contact',
        timeoutMs: 10_000,
      },
    );
    await page.close();
  });

  it('someone registers for the webinar and cancels', async () => {
    const page = await visitor.newPage();
    await page.goto(`${stack.apiUrl}/app/webinars/${webinarId}`);
    await page.getByRole('heading', { level: 1, name: 'Loppuwebinaari' }).waitFor();
    await page.getByLabel(/^Name\b/).fill('Anna Osallistuja');
    await page.getByLabel(/^Email\b/).fill(attendeeEmail);
    await page.getByLabel(/^I agree/).check();
    await expectLabelledControls(page);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText(/You are registered/).waitFor();
    await screenshot(page, 'webinar-registered');
    await page.getByRole('link', { name: 'Cancel the registration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cancel the webinar registration' }).waitFor();
    await page.getByRole('button', { name: 'Cancel my registration' }).click();
    await page.getByText('Your registration was cancelled.').waitFor();
    await screenshot(page, 'webinar-cancelled');
    await page.close();

    const admin = await coordinator.newPage();
    await admin.goto(`${stack.apiUrl}/app/coordinator/webinars/${webinarId}`);
    await admin.getByRole('cell', { name: attendeeEmail }).waitFor();
    await admin.getByRole('cell', { name: 'Cancelled' }).waitFor();
    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Download the registrations (CSV)' }).click();
    expect((await download).suggestedFilename()).toBe(`registrations-${webinarId}.csv`);
    await screenshot(admin, 'coordinator-webinar-registrations');
    await admin.close();
  });
});
