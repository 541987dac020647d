// Browser tests of the pages' languages and time zone (issue #14.1, #14.5): every form on the
// public, coordinator and tutor pages is submitted empty and with bad values, past the browser's
// own checks, and on Finnish and Swedish pages no English text appears, each message beside its
// field; the bad-link and not-on-the-roster pages are translated; and a browser in UTC schedules
// in Helsinki time. Headless Debian Chromium through playwright-core, as pages.e2e.test.ts.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { buildWeb } from '../../web/build.js';
import { chromiumPath, hasChromium, launchChromium } from '../support/chromium.js';
import { startTestStack } from '../support/harness.js';

if (!hasChromium) console.warn(`pages-i18n.e2e: skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);

const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const code = (n: number) => String(((Number.parseInt(unique.slice(-4), 36) + n) % 900) + 100);
const hour = 3_600_000;

/**
 * Words of the API's and the pages' English messages (zod's own among them). Finnish and Swedish
 * texts share none of them; "be" is left out, as Swedish uses it ("be om", ask).
 */
const englishWords =
  /\b(the|is|are|must|expected|invalid|input|received|required|too|small|big|characters?|field|unknown|after|before|value|valid|cannot|please|enter|choose|request|not)\b/i;

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations on the page as it stands (rule id, impact and the first offending nodes). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`,
  )) as { id: string; nodes: string[] }[];
  return violations.map((v) => `${v.id}: ${v.nodes.join(', ')}`);
}

let stack: LocalStack;
let browser: Browser;
let roundId = '';
let webinarId = '';
let statusPath = '';
let coordinatorToken = '';
let tutorToken = '';
let strangerToken = '';

async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const tokenFor = async (role: 'coordinator' | 'tutor', email: string) =>
  (await api<{ token: string }>('POST', '/dev/token', { role, email })).token;

/** A page in `lang`, signed in with `token` when given, the browser in `timezoneId`. */
async function open(path: string, lang: 'fi' | 'sv' | 'en', token?: string, timezoneId?: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({
    // An English browser: the page's own language must win over the browser's Accept-Language.
    locale: 'en-GB',
    viewport: { width, height: 900 },
    ...(timezoneId ? { timezoneId } : {}),
  });
  context.setDefaultTimeout(10_000);
  await context.addInitScript(
    `localStorage.setItem('sparraus.lang', ${JSON.stringify(lang)});${token ? `localStorage.setItem('sparraus.session', ${JSON.stringify(token)});` : ''}`,
  );
  context.on('page', (page) => page.on('dialog', (dialog) => void dialog.accept()));
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/app/${path}`);
  await page.locator('#main h1').first().waitFor();
  await expect.poll(() => page.locator('#main[aria-busy]').count()).toBe(0);
  return page;
}

/** The text of every message the page shows for errors: field messages, summaries, alerts. */
const errorTexts = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('#main .field-error, #main .error-summary, #main [role=alert], #main .notice')]
    .map((el) => (el.textContent || '').trim()).filter(Boolean)`) as Promise<string[]>;

type Fill = 'empty' | 'bad';

/** Fills every control of form `index` (empty, or with values the API refuses), drops the browser's checks, submits. */
async function submit(page: Page, index: number, fill: Fill): Promise<void> {
  await page.evaluate(`(() => {
    const fill = ${JSON.stringify(fill)};
    const form = document.querySelectorAll('#main form')[${index}];
    for (const details of document.querySelectorAll('details')) details.open = true;
    for (const control of form.querySelectorAll('input, textarea, select')) {
      for (const attribute of ['required', 'min', 'max', 'minlength', 'maxlength', 'pattern']) control.removeAttribute(attribute);
      if (control.tagName === 'SELECT') {
        if (fill === 'bad') control.add(new Option('?', 'not-a-choice', true, true));
        continue;
      }
      if (control.type === 'checkbox') { control.checked = false; continue; }
      if (fill === 'empty') { control.value = ''; continue; }
      if (control.type === 'datetime-local') control.value = '2027-01-09T10:00';
      else if (control.type === 'number') control.value = '-1';
      else if (control.type === 'email') control.value = 'not-an-email';
      else if (/url|link/i.test(control.name)) control.value = 'javascript:alert(1)';
      else control.value = 'x'.repeat(5000);
    }
    form.requestSubmit();
  })()`);
  await expect.poll(() => page.locator('#main form[aria-busy]').count()).toBe(0);
}

/** Every form of the page, empty and with bad values: messages in the page's language, beside their fields. */
async function everyFormSpeaks(page: Page, lang: 'fi' | 'sv'): Promise<number> {
  const forms = await page.locator('#main form').count();
  for (let index = 0; index < forms; index++) {
    for (const fill of ['empty', 'bad'] as const) {
      if ((await page.locator('#main form').count()) <= index) break; // a form that succeeded replaced itself
      await submit(page, index, fill);
      const texts = await errorTexts(page);
      // Something was said: the form's problems, or what it did.
      expect(texts.length, `${page.url()} form ${index} (${fill}) answered`).toBeGreaterThan(0);
      for (const text of texts) expect(text, `${page.url()} form ${index} (${fill}) in ${lang}`).not.toMatch(englishWords);
      expect(await axeViolations(page), `axe on ${page.url()} form ${index} (${fill})`).toEqual([]);
      const form = page.locator('#main form').nth(index);
      if (
        (await form.locator('.error-summary').count()) > 0 &&
        (await form.locator('[data-field]').count()) > 0 &&
        fill === 'empty'
      ) {
        // Where the API named fields, their messages sit beside them.
        const beside = await form.locator('.field-error').filter({ hasText: /./ }).count();
        const linked = await form.locator('.error-summary a').count();
        expect(beside, `${page.url()} form ${index}: messages beside their fields`).toBeGreaterThanOrEqual(linked > 0 ? 1 : 0);
      }
    }
  }
  return forms;
}

describe.skipIf(!hasChromium)('pages in the user’s language and the round’s time zone', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await buildWeb({ quiet: true });
    stack = await startTestStack('e2e-pages-i18n');
    browser = await launchChromium();

    // A round with an application, a tutor assigned to it, a meeting held and a webinar, through the API.
    coordinatorToken = await tokenFor('coordinator', `coordinator-${unique}@example.fi`);
    const tutorEmail = `tutor-${unique}@example.fi`;
    tutorToken = await tokenFor('tutor', tutorEmail);
    strangerToken = await tokenFor('tutor', `stranger-${unique}@example.fi`);
    const now = Date.parse((await api<{ now: string }>('GET', '/dev/clock')).now);
    ({ roundId } = await api<{ roundId: string }>(
      'POST',
      '/rounds',
      {
        name: `Syksy ${unique}`,
        region: '01',
        places: 2,
        opensAt: new Date(now - hour).toISOString(),
        closesAt: new Date(now + 14 * 24 * hour).toISOString(),
        languages: ['fi', 'sv'],
      },
      coordinatorToken,
    ));
    await api(
      'POST',
      '/tutors',
      { name: 'Tuula Tutor', email: tutorEmail, languages: ['fi', 'sv'], regions: ['01'], maxActive: 5 },
      coordinatorToken,
    );
    const applied = await api<{ statusUrl: string }>('POST', `/rounds/${roundId}/applications`, {
      municipality: { code: code(1), name: 'Espoo' },
      contact: { name: 'Maija Meikäläinen', email: `contact-${unique}@example.fi` },
      language: 'fi',
      themes: ['remote support'],
      consent: true,
    });
    statusPath =
      new URL(applied.statusUrl).pathname.replace(/^\/app\//, '').replace(/^\//, '') + new URL(applied.statusUrl).search;
    await api('POST', `/rounds/${roundId}/selection`, { policy: 'first-come', force: true }, coordinatorToken);
    await api('POST', '/dev/clock', { advanceBy: 'PT1M' });
    ({ webinarId } = await api<{ webinarId: string }>(
      'POST',
      `/rounds/${roundId}/webinars`,
      {
        title: 'Loppuwebinaari',
        startsAt: new Date(now + 30 * 24 * hour).toISOString(),
        endsAt: new Date(now + 30 * 24 * hour + 2 * hour).toISOString(),
        registrationClosesAt: new Date(now + 29 * 24 * hour).toISOString(),
        seats: 10,
        joinUrl: 'https://meet.example.fi/webinar',
        languages: ['fi', 'sv'],
      },
      coordinatorToken,
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const lang of ['fi', 'sv'] as const) {
    it(`public forms say every problem in ${lang}`, async () => {
      for (const path of [`rounds/${roundId}/apply`, `webinars/${webinarId}`, statusPath]) {
        const page = await open(path, lang);
        await everyFormSpeaks(page, lang);
        await page.context().close();
      }
    });

    it(`coordinator forms say every problem in ${lang}`, async () => {
      let forms = 0;
      for (const path of [
        'coordinator',
        'coordinator/tutors',
        `coordinator/rounds/${roundId}`,
        `coordinator/webinars/${webinarId}`,
      ]) {
        const page = await open(path, lang, coordinatorToken);
        forms += await everyFormSpeaks(page, lang);
        await page.context().close();
      }
      expect(forms).toBeGreaterThanOrEqual(3);
    });

    it(`tutor forms say every problem in ${lang}`, async () => {
      const page = await open('tutor', lang, tutorToken);
      expect(await everyFormSpeaks(page, lang)).toBeGreaterThanOrEqual(1);
      await page.context().close();
    });

    it(`the bad-link and not-on-the-roster pages are in ${lang}`, async () => {
      const badLink = await open(statusPath.replace(/token=[^&]+/, 'token=not-the-token'), lang);
      const heading = await badLink.locator('#main h1').textContent();
      expect(heading).toBe(lang === 'fi' ? 'Linkki ei toimi' : 'Länken fungerar inte');
      expect(await badLink.locator('#main').textContent()).not.toMatch(englishWords);
      await badLink.context().close();

      const stranger = await open('tutor', lang, strangerToken);
      expect(await stranger.locator('#main h1').textContent()).toBe(
        lang === 'fi' ? 'Et ole tutorrekisterissä' : 'Du finns inte i tutorregistret',
      );
      expect(await stranger.locator('#main').textContent()).not.toMatch(englishWords);
      await stranger.context().close();
    });
  }

  it('at 375 px nothing sticks out sideways, scrolling tables take keyboard focus, dates and numbers read well', async () => {
    for (const [path, token] of [
      [`coordinator/rounds/${roundId}`, coordinatorToken],
      ['coordinator', coordinatorToken],
      ['tutor', tutorToken],
      [statusPath, undefined],
      ['', undefined],
    ] as const) {
      for (const lang of ['fi', 'sv'] as const) {
        const page = await open(path, lang, token, undefined, 375);
        expect(await axeViolations(page), `axe on ${path} in ${lang} at 375 px`).toEqual([]);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
        const wide = await page.evaluate(`[...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .filter((el) => !el.closest('.table-scroll')).slice(-3).map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 40))`);
        expect(overflow, `${path} in ${lang} at 375 px: ${JSON.stringify(wide)}`).toBeLessThanOrEqual(0);
        const unfocusable = await page.evaluate(
          `[...document.querySelectorAll('.table-scroll')].filter((el) => el.tabIndex !== 0 || !el.getAttribute('aria-label')).length`,
        );
        expect(unfocusable, `${path}: scrolling tables are focusable and named`).toBe(0);
        // No ambiguous numeric dates ("09/01/2027"), no decimal point in fi/sv hours.
        const text = (await page.locator('#main').textContent()) ?? '';
        expect(text).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/);
        expect(text).not.toMatch(/\d\.\d+ h\b/);
        await page.context().close();
      }
    }
    // The tutor's card names the round.
    const tutor = await open('tutor', 'fi', tutorToken);
    await tutor.getByText(`Syksy ${unique}`).first().waitFor();
    await tutor.context().close();
  });

  it('a browser in UTC schedules 10:00 Helsinki time, labelled so', async () => {
    const page = await open('coordinator', 'en', coordinatorToken, 'UTC');
    expect(await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe('UTC');
    const opensAt = page.getByLabel(/^Opens/);
    expect(await page.locator(`label[for="${await opensAt.getAttribute('id')}"]`).textContent()).toContain('Helsinki time');
    await page.getByLabel(/^Name\b/).fill(`Talvi ${unique}`);
    await page.getByLabel(/^Region/).fill('01');
    await opensAt.fill('2027-01-15T10:00');
    await page.getByLabel(/^Closes/).fill('2027-01-29T16:00');
    const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/rounds');
    await page.getByRole('button', { name: 'Create the round' }).click();
    const body = (await sent).postDataJSON() as { opensAt: string; closesAt: string };
    expect(new Date(body.opensAt).toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(new Date(body.closesAt).toISOString()).toBe('2027-01-29T14:00:00.000Z');
    await page.getByRole('heading', { level: 1, name: `Talvi ${unique}` }).waitFor();
    // Shown back in Helsinki time, not the browser's.
    expect(await page.locator('#main').textContent()).toMatch(/10:00/);
    await page.context().close();
  });
});
