// Form building and the error contract: every control's `name` is its path in the request body
// (`contact.email`), so an API issue's `path` finds the field it concerns and its message is shown
// next to it, tied with aria-describedby and announced through an alert summary.
import type { ErrorIssue } from '../../schemas/api/errors.js';
import { ApiError } from './api.js';
import { announce, h, type Child } from './dom.js';
import { t } from './i18n.js';

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
    h('label', { for: id }, spec.label, requiredMark),
    hint,
    control,
    error,
  );
}

/** `datetime-local` has no zone: the browser's own offset is added, giving ISO 8601 with offset. */
export function toIsoWithOffset(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** A Date as a `datetime-local` value in the browser's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
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

/** The field an issue path concerns: `themes.0` → `themes`, `contact.email` → `contact.email`. */
function wrapperFor(form: HTMLFormElement, path: string): HTMLElement | undefined {
  const parts = path.split('.').filter(Boolean);
  for (let length = parts.length; length > 0; length--) {
    const name = parts.slice(0, length).join('.');
    const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
    if (wrapper) return wrapper;
  }
  return undefined;
}

/** Puts each issue next to its field and an alert summary (with links to the fields) at the top. */
export function showIssues(form: HTMLFormElement, message: string, issues: ErrorIssue[]): void {
  clearErrors(form);
  const items: Child[] = [];
  let first: HTMLElement | undefined;
  for (const issue of issues) {
    const wrapper = wrapperFor(form, issue.path);
    if (!wrapper) {
      items.push(h('li', {}, issue.path ? `${issue.path}: ${issue.message}` : issue.message));
      continue;
    }
    wrapper.classList.add('has-error');
    const error = wrapper.querySelector('.field-error')!;
    error.textContent = error.textContent ? `${error.textContent} ${issue.message}` : issue.message;
    const control = wrapper.querySelector<HTMLElement>('input, select, textarea')!;
    for (const each of wrapper.querySelectorAll('input, select, textarea')) each.setAttribute('aria-invalid', 'true');
    first ??= control;
    const label = wrapper.querySelector('label, legend')?.textContent?.replace(/\s*\*$/, '') ?? issue.path;
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          { href: `#${control.id}`, onclick: (event: Event) => (event.preventDefault(), control.focus()) },
          `${label}: ${issue.message}`,
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
      else showIssues(el, String(error), []);
      announce(t('form.errorsTitle'));
    } finally {
      button.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}

/** A readable sentence for an API failure, by status. */
export function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 0) return t('error.network');
  if (error.status === 401) return t('error.401');
  if (error.status === 403) return t('error.403');
  if (error.status === 404) return t('error.404');
  if (error.status === 409) return `${t('error.409')} ${error.message}`;
  return error.message;
}
