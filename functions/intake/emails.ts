// The intake emails, in Finnish, Swedish and English.
import type { Language } from '../../schemas/common.js';
import { renderEmail, type EmailContent, type EmailText } from '../shared/email-layout.js';
import { formatDateTime } from '../shared/format.js';

export interface ApplicationReceivedMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  closesAt: string;
  statusUrl: string;
}

/** One catalogue per language; `closes` is the closing time, already in the reader's language. */
const texts: Record<Language, (m: ApplicationReceivedMail, closes: string) => EmailText> = {
  fi: (m, closes) => ({
    subject: `Hakemus vastaanotettu: ${m.roundName}`,
    blocks: [
      `kiitos! Olemme vastaanottaneet kunnan ${m.municipalityName} hakemuksen digitukisparraukseen "${m.roundName}".`,
      `Haku päättyy ${closes}. Sen jälkeen valitsemme mukaan tulevat kunnat ja kerromme tuloksesta sähköpostitse.`,
      `Hakemuksen tilan näet ja voit tarvittaessa perua hakemuksen tästä linkistä:`,
      { link: m.statusUrl },
    ],
  }),
  sv: (m, closes) => ({
    subject: `Ansökan mottagen: ${m.roundName}`,
    blocks: [
      `tack! Vi har tagit emot ${m.municipalityName}s ansökan till digistödssparringen "${m.roundName}".`,
      `Ansökningstiden går ut ${closes}. Därefter väljer vi kommunerna och meddelar resultatet per e-post.`,
      `Ansökans status ser du, och du kan återkalla ansökan, via den här länken:`,
      { link: m.statusUrl },
    ],
  }),
  en: (m, closes) => ({
    subject: `Application received: ${m.roundName}`,
    blocks: [
      `thank you! We have received the application of ${m.municipalityName} to the digital-support coaching round "${m.roundName}".`,
      `Applications close ${closes}. We then select the municipalities and tell you the result by email.`,
      `You can follow your application, and withdraw it if needed, at this link:`,
      { link: m.statusUrl },
    ],
  }),
};

export function applicationReceivedEmail(mail: ApplicationReceivedMail): EmailContent {
  return renderEmail(mail.language, mail.contactName, texts[mail.language](mail, formatDateTime(mail.closesAt, mail.language)));
}
