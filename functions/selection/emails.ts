// The selection emails, in Finnish, Swedish and English: places, the waiting list, offers, carry-over.
import type { Language } from '../../schemas/common.js';
import { renderEmail, type EmailContent } from '../shared/email-layout.js';
import { formatDateTime } from '../shared/format.js';

export type SelectionMailKind =
  | 'accepted'
  | 'accepted-offer'
  | 'waitlisted'
  | 'place-offered'
  | 'offer-declined'
  | 'offer-lapsed'
  | 'withdrawn'
  | 'carry-over-offered'
  | 'carry-over-declined'
  | 'carry-over-lapsed'
  | 'carried-over';

export interface SelectionMail {
  kind: SelectionMailKind;
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  statusUrl: string;
  position?: number;
  /** Deadline of an offer (ISO). */
  expiresAt?: string;
  nextRoundName?: string;
}

/** A mail's subject and paragraphs. The status link follows; after the label, unless the last paragraph ends in ":". */
type Text = { subject: string; body: string[] };
/** One language's texts: the label of the status link and every mail. `deadline` is already in the reader's language. */
interface Catalogue {
  statusLabel: string;
  mails: Record<SelectionMailKind, (m: SelectionMail, deadline: string) => Text>;
}

const fi: Catalogue = {
  statusLabel: 'Hakemuksen tila:',
  mails: {
    accepted: (m) => ({
      subject: `${m.municipalityName} on mukana: ${m.roundName}`,
      body: [
        `Kunta ${m.municipalityName} on valittu digitukisparraukseen "${m.roundName}".`,
        'Seuraavaksi kunnalle nimetään kuntatutori, joka ottaa yhteyttä ja sopii kanssanne aloituskeskustelun.',
      ],
    }),
    'accepted-offer': (m) => ({
      subject: `Paikka vahvistettu: ${m.roundName}`,
      body: [
        `Kiitos! Kunnan ${m.municipalityName} paikka sparrauksessa "${m.roundName}" on vahvistettu.`,
        'Kuntatutori ottaa pian yhteyttä.',
      ],
    }),
    waitlisted: (m) => ({
      subject: `Varasijalla: ${m.roundName}`,
      body: [
        `Sparraukseen "${m.roundName}" tuli enemmän hakemuksia kuin paikkoja. Kunta ${m.municipalityName} on varasijalla ${m.position}.`,
        'Jos paikka vapautuu, tarjoamme sitä varasijajärjestyksessä sähköpostitse, ja teillä on määräaika vastata.',
        'Jos paikkaa ei vapaudu, voimme siirtää hakemuksenne seuraavalle kierrokselle etusijalla – kysymme sitä teiltä erikseen.',
      ],
    }),
    'place-offered': (m, deadline) => ({
      subject: `Vapautunut paikka tarjolla: ${m.roundName}`,
      body: [
        `Sparraukseen "${m.roundName}" vapautui paikka, ja tarjoamme sitä kunnalle ${m.municipalityName}.`,
        `Vastaa viimeistään ${deadline}. Jos emme saa vastausta, paikka siirtyy seuraavalle varasijalla olevalle.`,
        'Vastaa hakemuksen tilasivulla:',
      ],
    }),
    'offer-declined': (m) => ({
      subject: `Paikasta kieltäydytty: ${m.roundName}`,
      body: [`Kunta ${m.municipalityName} kieltäytyi tarjotusta paikasta. Paikka tarjotaan seuraavalle varasijalla olevalle.`],
    }),
    'offer-lapsed': (m) => ({
      subject: `Paikkatarjous umpeutui: ${m.roundName}`,
      body: [`Emme saaneet vastausta määräajassa, joten paikka siirtyi seuraavalle varasijalla olevalle kunnalle.`],
    }),
    withdrawn: (m) => ({
      subject: `Hakemus peruttu: ${m.roundName}`,
      body: [
        `Kunnan ${m.municipalityName} hakemus sparraukseen "${m.roundName}" on peruttu.`,
        'Voitte hakea uudelleen seuraavalle kierrokselle.',
      ],
    }),
    'carry-over-offered': (m, deadline) => ({
      subject: `Siirretäänkö hakemus seuraavalle kierrokselle? ${m.nextRoundName ?? ''}`,
      body: [
        `Kunta ${m.municipalityName} jäi varasijalle sparrauksessa "${m.roundName}".`,
        `Voimme siirtää hakemuksen seuraavalle kierrokselle "${m.nextRoundName}", jossa se käsitellään ennen uusia hakemuksia. Mitään ei tarvitse kirjoittaa uudelleen.`,
        `Vastaa viimeistään ${deadline}. Ilman vastausta hakemusta ei siirretä.`,
        'Vastaa hakemuksen tilasivulla:',
      ],
    }),
    'carry-over-declined': (m) => ({
      subject: `Hakemusta ei siirretä: ${m.roundName}`,
      body: [`Hakemusta ei siirretä seuraavalle kierrokselle, kuten toivoitte.`],
    }),
    'carry-over-lapsed': (m) => ({
      subject: `Hakemusta ei siirretty: ${m.roundName}`,
      body: [
        `Emme saaneet vastausta määräajassa, joten hakemusta ei siirretty seuraavalle kierrokselle. Voitte hakea sinne myös itse.`,
      ],
    }),
    'carried-over': (m) => ({
      subject: `Hakemus siirretty: ${m.nextRoundName ?? ''}`,
      body: [
        `Kunnan ${m.municipalityName} hakemus on siirretty kierrokselle "${m.nextRoundName}" etusijalla.`,
        'Saatte erikseen vahvistuksen ja uuden tilalinkin.',
      ],
    }),
  },
};

const sv: Catalogue = {
  statusLabel: 'Ansökans status:',
  mails: {
    accepted: (m) => ({
      subject: `${m.municipalityName} är med: ${m.roundName}`,
      body: [
        `${m.municipalityName} har valts till digistödssparringen "${m.roundName}".`,
        'Härnäst utses en kommuntutor som kontaktar er och kommer överens om ett inledande samtal.',
      ],
    }),
    'accepted-offer': (m) => ({
      subject: `Platsen bekräftad: ${m.roundName}`,
      body: [
        `Tack! ${m.municipalityName}s plats i sparringen "${m.roundName}" är bekräftad.`,
        'Kommuntutorn kontaktar er snart.',
      ],
    }),
    waitlisted: (m) => ({
      subject: `På reservplats: ${m.roundName}`,
      body: [
        `Sparringen "${m.roundName}" fick fler ansökningar än platser. ${m.municipalityName} står på reservplats ${m.position}.`,
        'Om en plats blir ledig erbjuder vi den i reservordning per e-post, med en tidsfrist för svaret.',
        'Om ingen plats blir ledig kan vi flytta ansökan till nästa omgång med förtur – vi frågar er om det separat.',
      ],
    }),
    'place-offered': (m, deadline) => ({
      subject: `En ledig plats erbjuds: ${m.roundName}`,
      body: [
        `En plats i sparringen "${m.roundName}" har blivit ledig och vi erbjuder den till ${m.municipalityName}.`,
        `Svara senast ${deadline}. Utan svar går platsen vidare till nästa på reservlistan.`,
        'Svara på ansökans statussida:',
      ],
    }),
    'offer-declined': (m) => ({
      subject: `Platsen avböjd: ${m.roundName}`,
      body: [`${m.municipalityName} tackade nej till platsen. Den erbjuds nästa på reservlistan.`],
    }),
    'offer-lapsed': (m) => ({
      subject: `Erbjudandet gick ut: ${m.roundName}`,
      body: ['Vi fick inget svar inom tidsfristen, så platsen gick vidare till nästa kommun på reservlistan.'],
    }),
    withdrawn: (m) => ({
      subject: `Ansökan återkallad: ${m.roundName}`,
      body: [
        `${m.municipalityName}s ansökan till sparringen "${m.roundName}" är återkallad.`,
        'Ni kan söka igen till nästa omgång.',
      ],
    }),
    'carry-over-offered': (m, deadline) => ({
      subject: `Ska ansökan flyttas till nästa omgång? ${m.nextRoundName ?? ''}`,
      body: [
        `${m.municipalityName} blev på reservplats i sparringen "${m.roundName}".`,
        `Vi kan flytta ansökan till nästa omgång "${m.nextRoundName}", där den behandlas före nya ansökningar. Ni behöver inte skriva något på nytt.`,
        `Svara senast ${deadline}. Utan svar flyttas ansökan inte.`,
        'Svara på ansökans statussida:',
      ],
    }),
    'carry-over-declined': () => ({
      subject: 'Ansökan flyttas inte',
      body: ['Ansökan flyttas inte till nästa omgång, enligt ert önskemål.'],
    }),
    'carry-over-lapsed': () => ({
      subject: 'Ansökan flyttades inte',
      body: ['Vi fick inget svar inom tidsfristen, så ansökan flyttades inte till nästa omgång. Ni kan också söka dit själva.'],
    }),
    'carried-over': (m) => ({
      subject: `Ansökan flyttad: ${m.nextRoundName ?? ''}`,
      body: [
        `${m.municipalityName}s ansökan har flyttats till omgången "${m.nextRoundName}" med förtur.`,
        'Ni får en separat bekräftelse med en ny statuslänk.',
      ],
    }),
  },
};

const en: Catalogue = {
  statusLabel: 'Your application:',
  mails: {
    accepted: (m) => ({
      subject: `${m.municipalityName} has a place: ${m.roundName}`,
      body: [
        `${m.municipalityName} has been selected for the digital-support coaching round "${m.roundName}".`,
        'Next, a municipal tutor is assigned to you and will get in touch to agree on the kickoff discussion.',
      ],
    }),
    'accepted-offer': (m) => ({
      subject: `Place confirmed: ${m.roundName}`,
      body: [
        `Thank you! The place of ${m.municipalityName} in "${m.roundName}" is confirmed.`,
        'Your tutor will be in touch soon.',
      ],
    }),
    waitlisted: (m) => ({
      subject: `On the waiting list: ${m.roundName}`,
      body: [
        `"${m.roundName}" received more applications than it has places. ${m.municipalityName} is number ${m.position} on the waiting list.`,
        'If a place becomes free, we offer it in waiting-list order by email, with a deadline to answer.',
        'If no place becomes free, we can carry your application over to the next round with priority; we will ask you separately.',
      ],
    }),
    'place-offered': (m, deadline) => ({
      subject: `A place has become free: ${m.roundName}`,
      body: [
        `A place in "${m.roundName}" has become free, and we offer it to ${m.municipalityName}.`,
        `Please answer by ${deadline}. Without an answer the place moves on to the next on the waiting list.`,
        'Answer on your application page:',
      ],
    }),
    'offer-declined': (m) => ({
      subject: `Place declined: ${m.roundName}`,
      body: [`${m.municipalityName} declined the offered place. It is offered to the next on the waiting list.`],
    }),
    'offer-lapsed': (m) => ({
      subject: `Offer expired: ${m.roundName}`,
      body: ['We did not receive an answer in time, so the place moved on to the next municipality on the waiting list.'],
    }),
    withdrawn: (m) => ({
      subject: `Application withdrawn: ${m.roundName}`,
      body: [
        `The application of ${m.municipalityName} to "${m.roundName}" has been withdrawn.`,
        'You are welcome to apply to a later round.',
      ],
    }),
    'carry-over-offered': (m, deadline) => ({
      subject: `Carry your application over to the next round? ${m.nextRoundName ?? ''}`,
      body: [
        `${m.municipalityName} stayed on the waiting list of "${m.roundName}".`,
        `We can carry the application over to the next round, "${m.nextRoundName}", where it is considered before new applications. Nothing needs to be retyped.`,
        `Please answer by ${deadline}. Without an answer the application is not carried over.`,
        'Answer on your application page:',
      ],
    }),
    'carry-over-declined': () => ({
      subject: 'Application not carried over',
      body: ['As you asked, the application is not carried over to the next round.'],
    }),
    'carry-over-lapsed': () => ({
      subject: 'Application not carried over',
      body: [
        'We did not receive an answer in time, so the application was not carried over. You can still apply to the next round yourselves.',
      ],
    }),
    'carried-over': (m) => ({
      subject: `Application carried over: ${m.nextRoundName ?? ''}`,
      body: [
        `The application of ${m.municipalityName} now stands in "${m.nextRoundName}", with priority.`,
        'You will receive a separate confirmation with a new status link.',
      ],
    }),
  },
};

const texts: Record<Language, Catalogue> = { fi, sv, en };

export function selectionEmail(mail: SelectionMail): EmailContent {
  const catalogue = texts[mail.language];
  const deadline = mail.expiresAt ? formatDateTime(mail.expiresAt, mail.language) : '';
  const { subject, body } = catalogue.mails[mail.kind](mail, deadline);
  const endsWithLinkLabel = body[body.length - 1]!.endsWith(':');
  return renderEmail(mail.language, mail.contactName, {
    subject,
    blocks: [...body, ...(endsWithLinkLabel ? [] : [catalogue.statusLabel]), { link: mail.statusUrl }],
  });
}
