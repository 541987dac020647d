// The webinar emails, in Finnish, Swedish and English: invitation, registration outcomes, reminder,
// thank-you and "sorry we missed you". Times are in Helsinki time with the zone named.
import type { Language } from '../../schemas/common.js';
import { linkBlocks, renderEmail, type EmailContent, type EmailText } from '../shared/email-layout.js';
import { formatDateTime } from '../shared/format.js';

export type WebinarMailKind =
  'invitation' | 'confirmed' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder' | 'thanks' | 'missed';

export interface WebinarMail {
  kind: WebinarMailKind;
  language: Language;
  name: string;
  title: string;
  startsAt: string;
  endsAt: string;
  municipality?: string;
  joinUrl?: string;
  /** The personal registration link of an invitation. */
  registrationUrl?: string;
  cancelUrl?: string;
  position?: number;
  feedbackUrl?: string;
  recordingUrl?: string;
}

type When = { starts: string; ends: string };
/** One language's texts, a mail a kind. `when` is already in the reader's language. */
type Texts = Record<WebinarMailKind, (m: WebinarMail, when: When) => EmailText>;

const fi: Texts = {
  invitation: (m, w) => ({
    subject: `Kutsu: ${m.title}`,
    blocks: [
      `Kutsumme sinut digitukisparrauksen päätöswebinaariin "${m.title}"${m.municipality ? ` kunnan ${m.municipality} edustajana` : ''}.`,
      `Webinaarissa kunnat kertovat, mitä sparrauksessa opittiin, ja keskustelemme yhdessä jatkosta.`,
      `Aika: ${w.starts} – ${w.ends}.`,
      'Ilmoittaudu henkilökohtaisella linkilläsi:',
      ...linkBlocks(m.registrationUrl),
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Ilmoittautuminen vahvistettu: ${m.title}`,
    blocks: [
      `Ilmoittautumisesi webinaariin "${m.title}" on vahvistettu.`,
      `Aika: ${w.starts} – ${w.ends}. Liitteenä on kalenterikutsu.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi, niin paikka vapautuu jonossa seuraavalle:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `Jonossa: ${m.title}`,
    blocks: [
      `Webinaarin "${m.title}" (${w.starts}) paikat ovat täynnä. Olet jonossa sijalla ${m.position}.`,
      'Jos paikka vapautuu, saat sen jonon järjestyksessä ja sinulle lähetetään vahvistus kalenterikutsuineen.',
      'Jonosta voit poistua tästä:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  promoted: (m, w) => ({
    subject: `Sait paikan: ${m.title}`,
    blocks: [
      `Webinaarista "${m.title}" vapautui paikka, ja se on nyt sinun.`,
      `Aika: ${w.starts} – ${w.ends}. Liitteenä on kalenterikutsu.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Ilmoittautuminen peruttu: ${m.title}`,
    blocks: [
      `Ilmoittautumisesi webinaariin "${m.title}" (${w.starts}) on peruttu.`,
      'Voit ilmoittautua uudelleen, jos paikkoja on jäljellä.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Muistutus huomisesta: ${m.title}`,
    blocks: [
      `Muistutus: webinaari "${m.title}" alkaa ${w.starts} ja päättyy ${w.ends}.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi, niin paikka vapautuu jonossa seuraavalle:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  thanks: (m) => ({
    subject: `Kiitos: ${m.title}`,
    blocks: [
      `Kiitos, että ilmoittauduit webinaariin "${m.title}".`,
      ...(m.feedbackUrl
        ? ['Kertoisitko, mitä pidit? Palautteesi auttaa meitä kehittämään sparrausta:', { link: m.feedbackUrl }]
        : []),
    ],
  }),
  missed: (m) => ({
    subject: `Harmi, ettet päässyt: ${m.title}`,
    blocks: [
      `Kaipasimme sinua webinaarissa "${m.title}".`,
      ...(m.recordingUrl ? ['Tallenteen voit katsoa tästä:', { link: m.recordingUrl }] : ['Kerromme, jos tallenne julkaistaan.']),
    ],
  }),
};

const sv: Texts = {
  invitation: (m, w) => ({
    subject: `Inbjudan: ${m.title}`,
    blocks: [
      `Vi bjuder in dig till digistödssparringens avslutande webbinarium "${m.title}"${m.municipality ? ` som representant för ${m.municipality}` : ''}.`,
      'Kommunerna berättar vad de lärt sig under sparringen och vi diskuterar fortsättningen tillsammans.',
      `Tid: ${w.starts} – ${w.ends}.`,
      'Anmäl dig via din personliga länk:',
      ...linkBlocks(m.registrationUrl),
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Anmälan bekräftad: ${m.title}`,
    blocks: [
      `Din anmälan till webbinariet "${m.title}" är bekräftad.`,
      `Tid: ${w.starts} – ${w.ends}. En kalenderinbjudan finns som bilaga.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka så att platsen går till nästa i kön:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `I kön: ${m.title}`,
    blocks: [
      `Webbinariet "${m.title}" (${w.starts}) är fullbokat. Du står i kö på plats ${m.position}.`,
      'Om en plats blir ledig får du den i köordning, och vi skickar en bekräftelse med kalenderinbjudan.',
      'Du kan lämna kön här:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  promoted: (m, w) => ({
    subject: `Du fick en plats: ${m.title}`,
    blocks: [
      `En plats i webbinariet "${m.title}" blev ledig och den är nu din.`,
      `Tid: ${w.starts} – ${w.ends}. En kalenderinbjudan finns som bilaga.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka här:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Anmälan avbokad: ${m.title}`,
    blocks: [
      `Din anmälan till webbinariet "${m.title}" (${w.starts}) är avbokad.`,
      'Du kan anmäla dig på nytt om det finns platser kvar.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Påminnelse om i morgon: ${m.title}`,
    blocks: [
      `Påminnelse: webbinariet "${m.title}" börjar ${w.starts} och slutar ${w.ends}.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka så att platsen går till nästa i kön:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  thanks: (m) => ({
    subject: `Tack: ${m.title}`,
    blocks: [
      `Tack för att du anmälde dig till webbinariet "${m.title}".`,
      ...(m.feedbackUrl ? ['Vad tyckte du? Din respons hjälper oss att utveckla sparringen:', { link: m.feedbackUrl }] : []),
    ],
  }),
  missed: (m) => ({
    subject: `Synd att du inte kunde delta: ${m.title}`,
    blocks: [
      `Vi saknade dig på webbinariet "${m.title}".`,
      ...(m.recordingUrl ? ['Inspelningen finns här:', { link: m.recordingUrl }] : ['Vi meddelar om en inspelning publiceras.']),
    ],
  }),
};

const en: Texts = {
  invitation: (m, w) => ({
    subject: `Invitation: ${m.title}`,
    blocks: [
      `You are invited to the closing webinar of the digital-support coaching round, "${m.title}"${m.municipality ? `, on behalf of ${m.municipality}` : ''}.`,
      'Municipalities share what they learned in the coaching, and we discuss what comes next together.',
      `When: ${w.starts} – ${w.ends}.`,
      'Register with your personal link:',
      ...linkBlocks(m.registrationUrl),
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Registration confirmed: ${m.title}`,
    blocks: [
      `Your registration for the webinar "${m.title}" is confirmed.`,
      `When: ${w.starts} – ${w.ends}. A calendar invitation is attached.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel, so that your seat goes to the next person waiting:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `On the waiting list: ${m.title}`,
    blocks: [
      `The webinar "${m.title}" (${w.starts}) is full. You are number ${m.position} on the waiting list.`,
      'If a seat becomes free, it goes to the waiting list in order, and you will get a confirmation with a calendar invitation.',
      'To leave the waiting list:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  promoted: (m, w) => ({
    subject: `You have a seat: ${m.title}`,
    blocks: [
      `A seat in the webinar "${m.title}" became free, and it is yours now.`,
      `When: ${w.starts} – ${w.ends}. A calendar invitation is attached.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Registration cancelled: ${m.title}`,
    blocks: [
      `Your registration for the webinar "${m.title}" (${w.starts}) is cancelled.`,
      'You may register again while seats are left.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Reminder for tomorrow: ${m.title}`,
    blocks: [
      `A reminder: the webinar "${m.title}" starts ${w.starts} and ends ${w.ends}.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel, so that your seat goes to the next person waiting:',
      ...linkBlocks(m.cancelUrl),
    ],
  }),
  thanks: (m) => ({
    subject: `Thank you: ${m.title}`,
    blocks: [
      `Thank you for registering for the webinar "${m.title}".`,
      ...(m.feedbackUrl ? ['What did you think? Your feedback helps us improve the coaching:', { link: m.feedbackUrl }] : []),
    ],
  }),
  missed: (m) => ({
    subject: `Sorry we missed you: ${m.title}`,
    blocks: [
      `We missed you at the webinar "${m.title}".`,
      ...(m.recordingUrl
        ? ['You can watch the recording here:', { link: m.recordingUrl }]
        : ['We will let you know if a recording is published.']),
    ],
  }),
};

const texts: Record<Language, Texts> = { fi, sv, en };

export function webinarEmail(mail: WebinarMail): EmailContent {
  const when = { starts: formatDateTime(mail.startsAt, mail.language), ends: formatDateTime(mail.endsAt, mail.language) };
  return renderEmail(mail.language, mail.name, texts[mail.language][mail.kind](mail, when));
}
