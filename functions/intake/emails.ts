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

export interface StatusLinkMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  statusUrl: string;
}

/** The status link asked for again: one catalogue per language. */
const statusLinkTexts: Record<Language, (m: StatusLinkMail) => EmailText> = {
  fi: (m) => ({
    subject: `Linkki hakemukseen: ${m.roundName}`,
    blocks: [
      `pyysit linkkiä kunnan ${m.municipalityName} hakemukseen digitukisparraukseen "${m.roundName}". Tästä näet hakemuksen tilan:`,
      { link: m.statusUrl },
      'Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.',
    ],
  }),
  sv: (m) => ({
    subject: `Länk till ansökan: ${m.roundName}`,
    blocks: [
      `du bad om länken till ${m.municipalityName}s ansökan till digistödssparringen "${m.roundName}". Här ser du ansökans status:`,
      { link: m.statusUrl },
      'Om du inte bad om länken kan du bortse från det här meddelandet.',
    ],
  }),
  en: (m) => ({
    subject: `Link to your application: ${m.roundName}`,
    blocks: [
      `you asked for the link to the application of ${m.municipalityName} to the coaching round "${m.roundName}". Here you can follow it:`,
      { link: m.statusUrl },
      'If you did not ask for it, you can ignore this message.',
    ],
  }),
};

export function statusLinkEmail(mail: StatusLinkMail): EmailContent {
  return renderEmail(mail.language, mail.contactName, statusLinkTexts[mail.language](mail));
}
