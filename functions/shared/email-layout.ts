// One layout for every email: greeting, paragraphs, links, signature; as plain text and as HTML.
import type { Language } from '../../schemas/common.js';
import { escapeHtml } from './format.js';

export const greetings: Record<Language, (name: string) => string> = {
  fi: (name) => `Hei ${name},`,
  sv: (name) => `Hej ${name},`,
  en: (name) => `Hello ${name},`,
};

export const signatures: Record<Language, string> = {
  fi: 'Ystävällisin terveisin,\nDigitukisparrauksen koordinaattorit',
  sv: 'Med vänliga hälsningar,\nDigistödssparringens koordinatorer',
  en: 'Kind regards,\nThe coaching round coordinators',
};

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * Lays out paragraphs as an email. Paragraphs that are exactly one of `links` become links in the
 * HTML part; everything else is escaped, so names typed by people cannot inject markup.
 */
export function layoutEmail(language: Language, subject: string, paragraphs: string[], links: string[] = []): EmailContent {
  const linkSet = new Set(links);
  const html = paragraphs
    .map((p) =>
      linkSet.has(p)
        ? `<p><a href="${escapeHtml(p)}">${escapeHtml(p)}</a></p>`
        : `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
  return {
    subject: subject.trim(),
    text: paragraphs.join('\n\n'),
    html: `<!doctype html><html lang="${language}"><body>${html}</body></html>`,
  };
}
