// Form building and the error contract: every control's `name` is its path in the request body
// (`contact.email`), so an API issue's `path` finds the field it concerns and its message is shown
// next to it, tied with aria-describedby and announced through an alert summary.
import type { ErrorIssue } from '../../schemas/api/errors.js';
import { ApiError } from './api.js';
import { announce, h, type Child } from './dom.js';
import { hasKey, lang, t, type TextKey } from './i18n.js';

/** How a field's text becomes JSON. `list`: comma-separated; `lines`: one item per line. */
export type FieldType = 'text' | 'number' | 'datetime' | 'list' | 'lines' | 'boolean' | 'choices';

export interface FieldSpec {
  name: string;
  label: string;
  type?: FieldType;
  /** The input's own type attribute for text fields (email, tel, url). */
  inputType?: string;
  value?: string | number | boolean | string[];
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** A select (single) or checkboxes (type `choices`). */
  options?: { value: string; label: string }[];
  multiline?: boolean;
  min?: number;
  max?: number;
}

let formCounter = 0;
const idFor = (formId: string, name: string) => `${formId}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

function describedBy(...ids: (string | undefined)[]): string {
  return ids.filter(Boolean).join(' ');
}

/** One labelled field with its hint and its (empty until needed) error message. */
function field(formId: string, spec: FieldSpec): HTMLElement {
  const id = idFor(formId, spec.name);
  const errorId = `${id}-error`;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const type = spec.type ?? 'text';
  const error = h('p', { class: 'field-error', id: errorId });
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null;
  const requiredMark = spec.required ? h('span', { 'aria-hidden': 'true' }, ' *') : null;
  const common = { id, name: spec.name, 'aria-describedby': describedBy(hintId, errorId), required: spec.required };

  if (type === 'choices') {
    const chosen = new Set(Array.isArray(spec.value) ? spec.value : []);
    return h(
      'fieldset',
      { class: 'field', 'data-field': spec.name, 'data-type': type, 'aria-describedby': describedBy(hintId, errorId), id },
      h('legend', {}, spec.label, requiredMark),
      hint,
      error,
      h(
        'div',
        { class: 'choices' },
        (spec.options ?? []).map((option, index) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: 'checkbox',
              name: spec.name,
              value: option.value,
              id: `${id}-${index}`,
              checked: chosen.has(option.value),
            }),
            option.label,
          ),
        ),
      ),
    );
  }
  if (type === 'boolean') {
    return h(
      'div',
      { class: 'field', 'data-field': spec.name, 'data-type': type },
      error,
      h(
        'label',
        { class: 'choice', for: id },
        h('input', { ...common, type: 'checkbox', checked: spec.value === true }),
        spec.label,
        requiredMark,
      ),
      hint,
    );
  }
  let control: HTMLElement;
  const value = Array.isArray(spec.value) ? spec.value.join(type === 'lines' ? '\n' : ', ') : spec.value;
  if (spec.options) {
    control = h(
      'select',
      common,
      spec.options.map((option) => h('option', { value: option.value, selected: option.value === value }, option.label)),
    );
  } else if (spec.multiline || type === 'lines') {
    control = h('textarea', { ...common, value });
  } else {
    control = h('input', {
      ...common,
      type: type === 'number' ? 'number' : type === 'datetime' ? 'datetime-local' : (spec.inputType ?? 'text'),
      value,
      autocomplete: spec.autocomplete,
      min: spec.min,
      max: spec.max,
    });
  }
  return h(
    'div',
    { class: 'field', 'data-field': spec.name, 'data-type': type },
    h('label', { for: id }, spec.label, type === 'datetime' ? ` (${t('time.helsinki')})` : null, requiredMark),
    hint,
    control,
    error,
  );
}

// Times are entered and shown in the round's zone, Europe/Helsinki (API.md's default), whatever zone
// the browser is in: a tutor travelling or a browser set to UTC still schedules 10:00 Helsinki time.
export const roundZone = 'Europe/Helsinki';

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: roundZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock fields of `date` in Helsinki. */
function helsinkiFields(date: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(wallClock.formatToParts(date).map((part) => [part.type, Number(part.value)]));
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Helsinki's offset from UTC at `date`, in minutes (+120 in winter, +180 in summer). */
function helsinkiOffset(date: Date): number {
  const f = helsinkiFields(date);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** A `datetime-local` value, read as Helsinki wall-clock time, as ISO 8601 with Helsinki's offset. */
export function toIsoWithOffset(local: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return local;
  const [year, month, day, hour, minute, second = '00'] = match.slice(1) as [string, string, string, string, string, string?];
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  // The offset at the moment meant; asked twice so that a time next to a DST change gets its own.
  const offset = helsinkiOffset(new Date(wall - helsinkiOffset(new Date(wall)) * 60_000));
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** A moment as a `datetime-local` value in Helsinki time. */
export function toLocalInput(date: Date): string {
  const f = helsinkiFields(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
}

/** `hour`:00 Helsinki time, `days` days from today's date in Helsinki, as a `datetime-local` value. */
export function helsinkiDayAt(days: number, hour: number, from: Date = new Date()): string {
  const today = helsinkiFields(from);
  const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(hour)}:00`;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}

/** The form's values as the request body; empty optional fields are left out, not sent as "". */
export function readForm(form: HTMLFormElement): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const wrapper of form.querySelectorAll<HTMLElement>('[data-field]')) {
    const name = wrapper.dataset.field!;
    const type = (wrapper.dataset.type ?? 'text') as FieldType;
    if (type === 'choices') {
      setPath(
        body,
        name,
        [...wrapper.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value),
      );
      continue;
    }
    const control = wrapper.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`);
    if (!control) continue;
    if (type === 'boolean') {
      setPath(body, name, (control as HTMLInputElement).checked);
      continue;
    }
    const raw = control.value.trim();
    if (type === 'lines' || type === 'list') {
      const items = raw
        .split(type === 'lines' ? /\n/ : /,/)
        .map((item) => item.trim())
        .filter(Boolean);
      setPath(body, name, items);
      continue;
    }
    if (raw === '') continue;
    // Sent as typed when it is not a number, so the API's message says what is wrong.
    setPath(
      body,
      name,
      type === 'number' ? (Number.isFinite(Number(raw)) ? Number(raw) : raw) : type === 'datetime' ? toIsoWithOffset(raw) : raw,
    );
  }
  return body;
}

function clearErrors(form: HTMLFormElement): void {
  form.querySelector('.error-summary')?.remove();
  for (const wrapper of form.querySelectorAll<HTMLElement>('[data-field]')) {
    wrapper.classList.remove('has-error');
    const error = wrapper.querySelector('.field-error');
    if (error) error.textContent = '';
    for (const control of wrapper.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  }
}

/** A field's label as the form shows it (without the required mark), for messages that name it. */
function labelOf(form: HTMLFormElement, name: string): string | undefined {
  const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
  return (
    wrapper
      ?.querySelector('label, legend')
      ?.textContent?.replace(/\s*\*$/, '')
      .trim() || undefined
  );
}

/**
 * An API issue in the page's language, from its stable code and params; never the API's English.
 * `form` lets a message name another field by its label (`not_after` {other: 'opensAt'}).
 */
export function issueText(issue: ErrorIssue, form?: HTMLFormElement): string {
  const params = issue.params ?? {};
  const origin = params.origin;
  const isList = origin === 'array' || origin === 'set';
  let key = `issue.${issue.code}`;
  if (issue.code === 'too_small') key = isList ? 'issue.too_small_list' : origin === 'string' ? 'issue.too_short' : key;
  if (issue.code === 'too_big') key = isList ? 'issue.too_big_list' : key;
  if (issue.code === 'invalid_type' && (params.expected === 'number' || params.expected === 'int'))
    key = 'issue.invalid_type_number';
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number') vars[name] = value.toLocaleString(lang());
    else if (typeof value === 'string') vars[name] = (name === 'other' && form && labelOf(form, value)) || value;
  }
  return t(hasKey(key) ? key : 'issue.invalid', vars);
}

/** The field an issue path concerns: `themes.0` → `themes`; `municipality` → its first field `municipality.name`. */
function wrapperFor(form: HTMLFormElement, path: string): HTMLElement | undefined {
  const parts = path.split('.').filter(Boolean);
  for (let length = parts.length; length > 0; length--) {
    const name = parts.slice(0, length).join('.');
    const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
    if (wrapper) return wrapper;
  }
  if (parts.length === 0) return undefined;
  return form.querySelector<HTMLElement>(`[data-field^="${CSS.escape(`${parts.join('.')}.`)}"]`) ?? undefined;
}

/** Puts each issue next to its field and an alert summary (with links to the fields) at the top. */
export function showIssues(form: HTMLFormElement, message: string, issues: ErrorIssue[]): void {
  clearErrors(form);
  const items: Child[] = [];
  let first: HTMLElement | undefined;
  for (const issue of issues) {
    const text = issueText(issue, form);
    const wrapper = wrapperFor(form, issue.path);
    if (!wrapper) {
      items.push(h('li', {}, text));
      continue;
    }
    wrapper.classList.add('has-error');
    const error = wrapper.querySelector('.field-error')!;
    if (error.textContent?.includes(text)) continue;
    error.textContent = error.textContent ? `${error.textContent} ${text}` : text;
    const control = wrapper.querySelector<HTMLElement>('input, select, textarea')!;
    for (const each of wrapper.querySelectorAll('input, select, textarea')) each.setAttribute('aria-invalid', 'true');
    first ??= control;
    const label = wrapper.querySelector('label, legend')?.textContent?.replace(/\s*\*$/, '') ?? '';
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          { href: `#${control.id}`, onclick: (event: Event) => (event.preventDefault(), control.focus()) },
          `${label}: ${text}`,
        ),
      ),
    );
  }
  if (items.length === 0) items.push(h('li', {}, message));
  const summary = h('div', { class: 'error-summary', role: 'alert' }, h('h2', {}, t('form.errorsTitle')), h('ul', {}, items));
  form.prepend(summary);
  // Focus the first field in error: its aria-describedby reads the message out.
  (first ?? summary).focus();
}

export interface FormSpec<T> {
  fields: (FieldSpec | HTMLElement)[];
  submitLabel: string;
  /** Sends the body; a thrown ApiError with issues lands on the fields. */
  send: (body: Record<string, unknown>) => Promise<T>;
  done: (result: T, form: HTMLFormElement) => void | Promise<void>;
  label?: string;
}

/** A form that validates through the API: `novalidate`, so the API's messages are the ones shown. */
export function form<T>(spec: FormSpec<T>): HTMLFormElement {
  const formId = `form${++formCounter}`;
  const button = h('button', { type: 'submit' }, spec.submitLabel);
  const el = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-label': spec.label },
    spec.fields.map((f) => (f instanceof HTMLElement ? f : field(formId, f))),
    h('div', { class: 'actions' }, button),
  );
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      const result = await spec.send(readForm(el));
      clearErrors(el);
      await spec.done(result, el);
    } catch (error) {
      if (error instanceof ApiError) showIssues(el, messageFor(error), error.issues);
      else showIssues(el, messageFor(error), []);
      announce(t('form.errorsTitle'));
    } finally {
      button.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}

const statusTexts: Record<number, TextKey> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.notFound',
  409: 'error.409generic',
  413: 'error.413',
  429: 'error.429',
  503: 'error.503',
};

/**
 * A sentence for an API failure in the page's language: by its code where the pages know it, else
 * by its status. The API's own message only on English pages, and only where nothing better is known.
 */
export function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.unexpected');
  if (error.status === 0) return t('error.network');
  const byCode = `code.${error.code}`;
  if (hasKey(byCode)) return t(byCode);
  if (lang() === 'en' && error.status === 409 && error.message) return `${t('error.409')} ${error.message}`;
  const byStatus = statusTexts[error.status];
  if (byStatus) return t(byStatus);
  return lang() === 'en' && error.message ? error.message : t('error.unexpected');
}
