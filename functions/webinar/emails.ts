// The webinar emails, in Finnish, Swedish and English: invitation, registration outcomes, reminder,
// thank-you and "sorry we missed you". Times are in Helsinki time with the zone named.
import type { Language } from '../../schemas/common.js';
import { greetings, layoutEmail, signatures, type EmailContent } from '../shared/email-layout.js';
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

type Text = { subject: string; body: string[] };
type When = { starts: string; ends: string };
type Texts = Record<WebinarMailKind, (m: WebinarMail, when: When) => Text>;

const fi: Texts = {
  invitation: (m, w) => ({
    subject: `Kutsu: ${m.title}`,
    body: [
      `Kutsumme sinut digitukisparrauksen päätöswebinaariin "${m.title}"${m.municipality ? ` kunnan ${m.municipality} edustajana` : ''}.`,
      `Webinaarissa kunnat kertovat, mitä sparrauksessa opittiin, ja keskustelemme yhdessä jatkosta.`,
      `Aika: ${w.starts} – ${w.ends}.`,
      'Ilmoittaudu henkilökohtaisella linkilläsi:',
      m.registrationUrl ?? '',
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Ilmoittautuminen vahvistettu: ${m.title}`,
    body: [
      `Ilmoittautumisesi webinaariin "${m.title}" on vahvistettu.`,
      `Aika: ${w.starts} – ${w.ends}. Liitteenä on kalenterikutsu.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi, niin paikka vapautuu jonossa seuraavalle:',
      m.cancelUrl ?? '',
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `Jonossa: ${m.title}`,
    body: [
      `Webinaarin "${m.title}" (${w.starts}) paikat ovat täynnä. Olet jonossa sijalla ${m.position}.`,
      'Jos paikka vapautuu, saat sen jonon järjestyksessä ja sinulle lähetetään vahvistus kalenterikutsuineen.',
      'Jonosta voit poistua tästä:',
      m.cancelUrl ?? '',
    ],
  }),
  promoted: (m, w) => ({
    subject: `Sait paikan: ${m.title}`,
    body: [
      `Webinaarista "${m.title}" vapautui paikka, ja se on nyt sinun.`,
      `Aika: ${w.starts} – ${w.ends}. Liitteenä on kalenterikutsu.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi:',
      m.cancelUrl ?? '',
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Ilmoittautuminen peruttu: ${m.title}`,
    body: [
      `Ilmoittautumisesi webinaariin "${m.title}" (${w.starts}) on peruttu.`,
      'Voit ilmoittautua uudelleen, jos paikkoja on jäljellä.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Muistutus huomisesta: ${m.title}`,
    body: [
      `Muistutus: webinaari "${m.title}" alkaa ${w.starts} ja päättyy ${w.ends}.`,
      `Liittymislinkki: ${m.joinUrl ?? ''}`,
      'Jos et pääsekään, peru ilmoittautumisesi, niin paikka vapautuu jonossa seuraavalle:',
      m.cancelUrl ?? '',
    ],
  }),
  thanks: (m) => ({
    subject: `Kiitos: ${m.title}`,
    body: [
      `Kiitos, että ilmoittauduit webinaariin "${m.title}".`,
      ...(m.feedbackUrl ? ['Kertoisitko, mitä pidit? Palautteesi auttaa meitä kehittämään sparrausta:', m.feedbackUrl] : []),
    ],
  }),
  missed: (m) => ({
    subject: `Harmi, ettet päässyt: ${m.title}`,
    body: [
      `Kaipasimme sinua webinaarissa "${m.title}".`,
      ...(m.recordingUrl ? ['Tallenteen voit katsoa tästä:', m.recordingUrl] : ['Kerromme, jos tallenne julkaistaan.']),
    ],
  }),
};

const sv: Texts = {
  invitation: (m, w) => ({
    subject: `Inbjudan: ${m.title}`,
    body: [
      `Vi bjuder in dig till digistödssparringens avslutande webbinarium "${m.title}"${m.municipality ? ` som representant för ${m.municipality}` : ''}.`,
      'Kommunerna berättar vad de lärt sig under sparringen och vi diskuterar fortsättningen tillsammans.',
      `Tid: ${w.starts} – ${w.ends}.`,
      'Anmäl dig via din personliga länk:',
      m.registrationUrl ?? '',
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Anmälan bekräftad: ${m.title}`,
    body: [
      `Din anmälan till webbinariet "${m.title}" är bekräftad.`,
      `Tid: ${w.starts} – ${w.ends}. En kalenderinbjudan finns som bilaga.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka så att platsen går till nästa i kön:',
      m.cancelUrl ?? '',
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `I kön: ${m.title}`,
    body: [
      `Webbinariet "${m.title}" (${w.starts}) är fullbokat. Du står i kö på plats ${m.position}.`,
      'Om en plats blir ledig får du den i köordning, och vi skickar en bekräftelse med kalenderinbjudan.',
      'Du kan lämna kön här:',
      m.cancelUrl ?? '',
    ],
  }),
  promoted: (m, w) => ({
    subject: `Du fick en plats: ${m.title}`,
    body: [
      `En plats i webbinariet "${m.title}" blev ledig och den är nu din.`,
      `Tid: ${w.starts} – ${w.ends}. En kalenderinbjudan finns som bilaga.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka här:',
      m.cancelUrl ?? '',
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Anmälan avbokad: ${m.title}`,
    body: [
      `Din anmälan till webbinariet "${m.title}" (${w.starts}) är avbokad.`,
      'Du kan anmäla dig på nytt om det finns platser kvar.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Påminnelse om i morgon: ${m.title}`,
    body: [
      `Påminnelse: webbinariet "${m.title}" börjar ${w.starts} och slutar ${w.ends}.`,
      `Länk för att delta: ${m.joinUrl ?? ''}`,
      'Om du inte kan delta, avboka så att platsen går till nästa i kön:',
      m.cancelUrl ?? '',
    ],
  }),
  thanks: (m) => ({
    subject: `Tack: ${m.title}`,
    body: [
      `Tack för att du anmälde dig till webbinariet "${m.title}".`,
      ...(m.feedbackUrl ? ['Vad tyckte du? Din respons hjälper oss att utveckla sparringen:', m.feedbackUrl] : []),
    ],
  }),
  missed: (m) => ({
    subject: `Synd att du inte kunde delta: ${m.title}`,
    body: [
      `Vi saknade dig på webbinariet "${m.title}".`,
      ...(m.recordingUrl ? ['Inspelningen finns här:', m.recordingUrl] : ['Vi meddelar om en inspelning publiceras.']),
    ],
  }),
};

const en: Texts = {
  invitation: (m, w) => ({
    subject: `Invitation: ${m.title}`,
    body: [
      `You are invited to the closing webinar of the digital-support coaching round, "${m.title}"${m.municipality ? `, on behalf of ${m.municipality}` : ''}.`,
      'Municipalities share what they learned in the coaching, and we discuss what comes next together.',
      `When: ${w.starts} – ${w.ends}.`,
      'Register with your personal link:',
      m.registrationUrl ?? '',
    ],
  }),
  confirmed: (m, w) => ({
    subject: `Registration confirmed: ${m.title}`,
    body: [
      `Your registration for the webinar "${m.title}" is confirmed.`,
      `When: ${w.starts} – ${w.ends}. A calendar invitation is attached.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel, so that your seat goes to the next person waiting:',
      m.cancelUrl ?? '',
    ],
  }),
  waitlisted: (m, w) => ({
    subject: `On the waiting list: ${m.title}`,
    body: [
      `The webinar "${m.title}" (${w.starts}) is full. You are number ${m.position} on the waiting list.`,
      'If a seat becomes free, it goes to the waiting list in order, and you will get a confirmation with a calendar invitation.',
      'To leave the waiting list:',
      m.cancelUrl ?? '',
    ],
  }),
  promoted: (m, w) => ({
    subject: `You have a seat: ${m.title}`,
    body: [
      `A seat in the webinar "${m.title}" became free, and it is yours now.`,
      `When: ${w.starts} – ${w.ends}. A calendar invitation is attached.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel:',
      m.cancelUrl ?? '',
    ],
  }),
  cancelled: (m, w) => ({
    subject: `Registration cancelled: ${m.title}`,
    body: [
      `Your registration for the webinar "${m.title}" (${w.starts}) is cancelled.`,
      'You may register again while seats are left.',
    ],
  }),
  reminder: (m, w) => ({
    subject: `Reminder for tomorrow: ${m.title}`,
    body: [
      `A reminder: the webinar "${m.title}" starts ${w.starts} and ends ${w.ends}.`,
      `Join link: ${m.joinUrl ?? ''}`,
      'If you cannot come after all, please cancel, so that your seat goes to the next person waiting:',
      m.cancelUrl ?? '',
    ],
  }),
  thanks: (m) => ({
    subject: `Thank you: ${m.title}`,
    body: [
      `Thank you for registering for the webinar "${m.title}".`,
      ...(m.feedbackUrl ? ['What did you think? Your feedback helps us improve the coaching:', m.feedbackUrl] : []),
    ],
  }),
  missed: (m) => ({
    subject: `Sorry we missed you: ${m.title}`,
    body: [
      `We missed you at the webinar "${m.title}".`,
      ...(m.recordingUrl
        ? ['You can watch the recording here:', m.recordingUrl]
        : ['We will let you know if a recording is published.']),
    ],
  }),
};

const texts: Record<Language, Texts> = { fi, sv, en };

export function webinarEmail(mail: WebinarMail): EmailContent {
  const when = { starts: formatDateTime(mail.startsAt, mail.language), ends: formatDateTime(mail.endsAt, mail.language) };
  const { subject, body } = texts[mail.language][mail.kind](mail, when);
  const links = [mail.registrationUrl, mail.cancelUrl, mail.feedbackUrl, mail.recordingUrl].filter((l): l is string => !!l);
  return layoutEmail(
    mail.language,
    subject,
    [greetings[mail.language](mail.name), ...body.filter((p) => p !== ''), signatures[mail.language]],
    links,
  );
}
