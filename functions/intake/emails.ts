// The intake emails, in Finnish, Swedish and English.
import type { Language } from '../../schemas/common.js';
import { escapeHtml, formatDateTime } from '../shared/format.js';

export interface ApplicationReceivedMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  closesAt: string;
  statusUrl: string;
}

const texts: Record<Language, (m: ApplicationReceivedMail, closes: string) => { subject: string; lines: string[] }> = {
  fi: (m, closes) => ({
    subject: `Hakemus vastaanotettu: ${m.roundName}`,
    lines: [
      `Hei ${m.contactName},`,
      `kiitos! Olemme vastaanottaneet kunnan ${m.municipalityName} hakemuksen digitukisparraukseen "${m.roundName}".`,
      `Haku päättyy ${closes}. Sen jälkeen valitsemme mukaan tulevat kunnat ja kerromme tuloksesta sähköpostitse.`,
      `Hakemuksen tilan näet ja voit tarvittaessa perua hakemuksen tästä linkistä:`,
      m.statusUrl,
      `Ystävällisin terveisin,\nDigitukisparrauksen koordinaattorit`,
    ],
  }),
  sv: (m, closes) => ({
    subject: `Ansökan mottagen: ${m.roundName}`,
    lines: [
      `Hej ${m.contactName},`,
      `tack! Vi har tagit emot ${m.municipalityName}s ansökan till digistödssparringen "${m.roundName}".`,
      `Ansökningstiden går ut ${closes}. Därefter väljer vi kommunerna och meddelar resultatet per e-post.`,
      `Ansökans status ser du, och du kan återkalla ansökan, via den här länken:`,
      m.statusUrl,
      `Med vänliga hälsningar,\nDigistödssparringens koordinatorer`,
    ],
  }),
  en: (m, closes) => ({
    subject: `Application received: ${m.roundName}`,
    lines: [
      `Hello ${m.contactName},`,
      `thank you! We have received the application of ${m.municipalityName} to the digital-support coaching round "${m.roundName}".`,
      `Applications close ${closes}. We then select the municipalities and tell you the result by email.`,
      `You can follow your application, and withdraw it if needed, at this link:`,
      m.statusUrl,
      `Kind regards,\nThe coaching round coordinators`,
    ],
  }),
};

export function applicationReceivedEmail(mail: ApplicationReceivedMail) {
  const { subject, lines } = texts[mail.language](mail, formatDateTime(mail.closesAt, mail.language));
  const html = lines
    .map((line) =>
      line === mail.statusUrl
        ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>`
        : `<p>${escapeHtml(line).replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
  return { subject, text: lines.join('\n\n'), html: `<!doctype html><html lang="${mail.language}"><body>${html}</body></html>` };
}
