// The one layout for every email: a greeting, blocks (paragraphs, bulleted lists, links on their own
// line) and the signature, as plain text and as HTML. The capabilities' emails.ts files hold only texts.
import type { Language } from '../../schemas/common.js';
import { escapeHtml } from './format.js';

/** A paragraph (a "\n" inside is a line break), a bulleted list, or a link on its own line. */
export type Block = string | { list: string[] } | { link: string };

/** One email's words: its subject and its body, without greeting and signature. */
export interface EmailText {
  subject: string;
  blocks: Block[];
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const greetings: Record<Language, (name: string) => string> = {
  fi: (name) => `Hei ${name},`,
  sv: (name) => `Hej ${name},`,
  en: (name) => `Hello ${name},`,
};

const signatures: Record<Language, string> = {
  fi: 'Ystävällisin terveisin,\nDigitukisparrauksen koordinaattorit',
  sv: 'Med vänliga hälsningar,\nDigistödssparringens koordinatorer',
  en: 'Kind regards,\nThe coaching round coordinators',
};

/** A link block for a link that may be absent: none at all, rather than an empty line. */
export function linkBlocks(url: string | undefined): Block[] {
  return url ? [{ link: url }] : [];
}

/** An email to one person, in their language: "Hei <name>," first, the coordinators' signature last. */
export function renderEmail(language: Language, recipientName: string, { subject, blocks }: EmailText): EmailContent {
  return renderBlocks(language, { subject, blocks: [greetings[language](recipientName), ...blocks, signatures[language]] });
}

/**
 * Lays out blocks as they are, without greeting or signature (e.g. a staff notice written in several
 * languages at once). Everything is escaped in the HTML part, so names typed by people cannot inject
 * markup; only link blocks become `<a href>`.
 */
export function renderBlocks(language: Language, { subject, blocks }: EmailText): EmailContent {
  const text = blocks.map(blockText).join('\n\n');
  const html = blocks.map(blockHtml).join('\n');
  return {
    subject: subject.trim(),
    text,
    html: `<!doctype html><html lang="${language}"><body>${html}</body></html>`,
  };
}

function blockText(block: Block): string {
  if (typeof block === 'string') return block;
  if ('list' in block) return block.list.map((item) => `- ${item}`).join('\n');
  return block.link;
}

function blockHtml(block: Block): string {
  if (typeof block === 'string') return `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`;
  if ('list' in block) return `<ul>${block.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
  const href = escapeHtml(block.link);
  return `<p><a href="${href}">${href}</a></p>`;
}
