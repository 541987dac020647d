// The tutoring emails, in Finnish, Swedish and English: assignment, meetings (with the time zone named),
// reminders, the follow-up after a session, extra-meeting requests and the closing summary.
import type { MeetingKind } from '../../schemas/api/engagements.js';
import type { Language } from '../../schemas/common.js';
import { renderEmail, type EmailContent, type EmailText as Text } from '../shared/email-layout.js';
import { formatDateTime } from '../shared/format.js';

export type RenderedMail = EmailContent;

const kindLabels: Record<Language, Record<MeetingKind, string>> = {
  fi: { kickoff: 'aloituskeskustelu', 'follow-up': 'jatkotapaaminen', extra: 'lisätapaaminen' },
  sv: { kickoff: 'startsamtal', 'follow-up': 'uppföljningsmöte', extra: 'extra möte' },
  en: { kickoff: 'kickoff discussion', 'follow-up': 'follow-up meeting', extra: 'extra meeting' },
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The meeting's kind in the reader's language, e.g. "aloituskeskustelu". */
export function meetingKindLabel(kind: MeetingKind, language: Language): string {
  return kindLabels[language][kind];
}

function hours(minutes: number, language: Language): string {
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language];
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(minutes / 60);
}

// --- Assignment -----------------------------------------------------------------------------------

export interface TutorAssignedToContactMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  tutorName: string;
  tutorEmail: string;
  reassigned: boolean;
  statusUrl: string;
}

export function tutorAssignedToContactEmail(m: TutorAssignedToContactMail): RenderedMail {
  const texts: Record<Language, Text> = {
    fi: {
      subject: `${m.reassigned ? 'Uusi kuntatutori' : 'Kuntatutori nimetty'}: ${m.municipalityName}`,
      blocks: [
        `Kunnan ${m.municipalityName} ${m.reassigned ? 'uusi ' : ''}kuntatutori sparrauksessa "${m.roundName}" on ${m.tutorName} (${m.tutorEmail}).`,
        m.reassigned
          ? 'Tutori jatkaa sovittujen tapaamisten parissa ja on teihin yhteydessä.'
          : 'Tutori ottaa teihin yhteyttä ja sopii kanssanne aloituskeskustelun.',
        'Hakemuksen tilan, tutorin ja tapaamiset näet täältä:',
        { link: m.statusUrl },
      ],
    },
    sv: {
      subject: `${m.reassigned ? 'Ny kommuntutor' : 'Kommuntutor utsedd'}: ${m.municipalityName}`,
      blocks: [
        `${m.reassigned ? 'Ny kommuntutor' : 'Kommuntutor'} för ${m.municipalityName} i sparringen "${m.roundName}" är ${m.tutorName} (${m.tutorEmail}).`,
        m.reassigned
          ? 'Tutorn fortsätter med de avtalade mötena och kontaktar er.'
          : 'Tutorn kontaktar er och kommer överens om ett startsamtal.',
        'Ansökans status, tutorn och mötena ser ni här:',
        { link: m.statusUrl },
      ],
    },
    en: {
      subject: `${m.reassigned ? 'Your new tutor' : 'Your tutor'}: ${m.municipalityName}`,
      blocks: [
        `The ${m.reassigned ? 'new ' : ''}municipal tutor of ${m.municipalityName} in "${m.roundName}" is ${m.tutorName} (${m.tutorEmail}).`,
        m.reassigned
          ? 'Your tutor carries on with the meetings agreed and will be in touch.'
          : 'Your tutor will contact you to agree on the kickoff discussion.',
        'Your application, tutor and meetings:',
        { link: m.statusUrl },
      ],
    },
  };
  return renderEmail(m.language, m.contactName, texts[m.language]);
}

export interface TutorAssignedToTutorMail {
  language: Language;
  tutorName: string;
  municipalityName: string;
  roundName: string;
  engagementId: string;
  contact?: { name: string; email: string; phone?: string };
  municipalityLanguage: Language;
  themes: string[];
  situation?: string;
  reassigned: boolean;
}

export function tutorAssignedToTutorEmail(m: TutorAssignedToTutorMail): RenderedMail {
  const contact = m.contact ? `${m.contact.name}, ${m.contact.email}${m.contact.phone ? `, ${m.contact.phone}` : ''}` : '–';
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Uusi sparrattava kunta: ${m.municipalityName}`,
      blocks: [
        `Sinut on nimetty kunnan ${m.municipalityName} kuntatutoriksi sparrauksessa "${m.roundName}"${m.reassigned ? ' (tutorin vaihto)' : ''}.`,
        `Yhteyshenkilö: ${contact}\nAsiointikieli: ${m.municipalityLanguage}\nTunniste: ${m.engagementId}`,
        'Kunnan nostamat teemat:',
        { list: m.themes },
        ...(m.situation ? [`Kunnan kuvaus tilanteesta: ${m.situation}`] : []),
        m.reassigned ? 'Tarkista jo sovitut tapaamiset ja jatka niistä.' : 'Sovi seuraavaksi aloituskeskustelu kunnan kanssa.',
      ],
    },
    sv: {
      subject: `Ny kommun att sparra: ${m.municipalityName}`,
      blocks: [
        `Du har utsetts till kommuntutor för ${m.municipalityName} i sparringen "${m.roundName}"${m.reassigned ? ' (byte av tutor)' : ''}.`,
        `Kontaktperson: ${contact}\nSpråk: ${m.municipalityLanguage}\nId: ${m.engagementId}`,
        'Teman som kommunen lyfte fram:',
        { list: m.themes },
        ...(m.situation ? [`Kommunens beskrivning av läget: ${m.situation}`] : []),
        m.reassigned
          ? 'Se över de möten som redan avtalats och fortsätt därifrån.'
          : 'Kom härnäst överens om ett startsamtal med kommunen.',
      ],
    },
    en: {
      subject: `New municipality to coach: ${m.municipalityName}`,
      blocks: [
        `You are now the municipal tutor of ${m.municipalityName} in "${m.roundName}"${m.reassigned ? ' (change of tutor)' : ''}.`,
        `Contact: ${contact}\nLanguage: ${m.municipalityLanguage}\nId: ${m.engagementId}`,
        'Themes the municipality raised:',
        { list: m.themes },
        ...(m.situation ? [`The municipality's own description: ${m.situation}`] : []),
        m.reassigned
          ? 'Please review the meetings already agreed and carry on from there.'
          : 'Next, agree on the kickoff discussion with the municipality.',
      ],
    },
  };
  return renderEmail(m.language, m.tutorName, texts[m.language]);
}

export interface TutorReleasedMail {
  language: Language;
  tutorName: string;
  municipalityName: string;
  reason: 'reassigned' | 'withdrawn';
}

/** To a tutor who no longer coaches a municipality: reassigned to someone else, or the municipality withdrew. */
export function tutorReleasedEmail(m: TutorReleasedMail): RenderedMail {
  const texts: Record<Language, Text> = {
    fi: {
      subject: `${m.reason === 'withdrawn' ? 'Kunta vetäytyi' : 'Tutorointi siirretty'}: ${m.municipalityName}`,
      blocks: [
        m.reason === 'withdrawn'
          ? `Kunta ${m.municipalityName} on perunut osallistumisensa. Sen tulevat tapaamiset on peruttu.`
          : `Kunnan ${m.municipalityName} tutorointi on siirretty toiselle tutorille. Kiitos työstäsi!`,
      ],
    },
    sv: {
      subject: `${m.reason === 'withdrawn' ? 'Kommunen drog sig ur' : 'Tutorskapet flyttat'}: ${m.municipalityName}`,
      blocks: [
        m.reason === 'withdrawn'
          ? `${m.municipalityName} har återkallat sitt deltagande. Kommande möten är inställda.`
          : `Tutorskapet för ${m.municipalityName} har flyttats till en annan tutor. Tack för ditt arbete!`,
      ],
    },
    en: {
      subject: `${m.reason === 'withdrawn' ? 'Municipality withdrew' : 'Coaching moved'}: ${m.municipalityName}`,
      blocks: [
        m.reason === 'withdrawn'
          ? `${m.municipalityName} has withdrawn. Its upcoming meetings are cancelled.`
          : `The coaching of ${m.municipalityName} has moved to another tutor. Thank you for your work!`,
      ],
    },
  };
  return renderEmail(m.language, m.tutorName, texts[m.language]);
}

export interface UnassignedMail {
  language: Language;
  municipalityName: string;
  roundName: string;
  engagementId: string;
  municipalityLanguage: Language;
  region: string;
}

/** To coordinators: no tutor fits, so the engagement waits for a manual assignment. */
export function engagementUnassignedEmail(m: UnassignedMail): RenderedMail {
  const how = `POST /engagements/${m.engagementId}/tutor {"tutorId": "..."}`;
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Tutoria ei löytynyt: ${m.municipalityName}`,
      blocks: [
        `Kunnalle ${m.municipalityName} (sparraus "${m.roundName}") ei löytynyt vapaata tutoria, joka puhuu kieltä "${m.municipalityLanguage}" (alue ${m.region}).`,
        `Nimeä tutori käsin tai lisää tutorille kapasiteettia: ${how}`,
      ],
    },
    sv: {
      subject: `Ingen tutor hittades: ${m.municipalityName}`,
      blocks: [
        `För ${m.municipalityName} (sparringen "${m.roundName}") fanns ingen ledig tutor som talar "${m.municipalityLanguage}" (region ${m.region}).`,
        `Utse en tutor manuellt eller ge en tutor mer kapacitet: ${how}`,
      ],
    },
    en: {
      subject: `No tutor found: ${m.municipalityName}`,
      blocks: [
        `No tutor with room who speaks "${m.municipalityLanguage}" was found for ${m.municipalityName} ("${m.roundName}", region ${m.region}).`,
        `Please assign one by hand, or give a tutor more room: ${how}`,
      ],
    },
  };
  const greeting: Record<Language, string> = { fi: 'koordinaattori', sv: 'koordinator', en: 'coordinator' };
  return renderEmail(m.language, greeting[m.language], texts[m.language]);
}

// --- Meetings -------------------------------------------------------------------------------------

export type MeetingMailKind = 'invitation' | 'update' | 'cancellation' | 'reminder';

export interface MeetingMail {
  kind: MeetingMailKind;
  language: Language;
  recipientName: string;
  municipalityName: string;
  meetingKind: MeetingKind;
  startsAt: string;
  previousStartsAt?: string;
  durationMinutes: number;
  joinUrl: string;
  tutorName: string;
  /** The applicant's status page; absent in the tutor's copy. */
  statusUrl?: string;
}

/** The calendar entry's title and description, in the reader's language. */
export function meetingCalendarText(
  m: Pick<MeetingMail, 'language' | 'meetingKind' | 'municipalityName' | 'tutorName' | 'joinUrl'>,
) {
  const kind = capitalize(meetingKindLabel(m.meetingKind, m.language));
  const programme = { fi: 'Digitukisparraus', sv: 'Digistödssparring', en: 'Digital-support coaching' }[m.language];
  const tutorLabel = { fi: 'Kuntatutori', sv: 'Kommuntutor', en: 'Municipal tutor' }[m.language];
  const joinLabel = { fi: 'Liity', sv: 'Anslut', en: 'Join' }[m.language];
  return {
    title: `${programme}: ${kind} – ${m.municipalityName}`,
    description: `${tutorLabel}: ${m.tutorName}\n${joinLabel}: ${m.joinUrl}`,
  };
}

export function meetingEmail(m: MeetingMail): RenderedMail {
  const when = formatDateTime(m.startsAt, m.language);
  const before = m.previousStartsAt ? formatDateTime(m.previousStartsAt, m.language) : undefined;
  const kind = meetingKindLabel(m.meetingKind, m.language);
  const Kind = capitalize(kind);
  const texts: Record<Language, Record<MeetingMailKind, Text>> = {
    fi: {
      invitation: {
        subject: `${Kind}: ${m.municipalityName}, ${when}`,
        blocks: [
          `${Kind} (${m.municipalityName}, kuntatutori ${m.tutorName}) on sovittu.`,
          `Aika: ${when}\nKesto: ${m.durationMinutes} min`,
          'Liity tapaamiseen:',
          { link: m.joinUrl },
          'Kalenterikutsu on liitteenä.',
        ],
      },
      update: {
        subject: `Muuttunut: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `${Kind} (${m.municipalityName}) on muuttunut.`,
          `Uusi aika: ${when}${before ? ` (aiemmin ${before})` : ''}\nKesto: ${m.durationMinutes} min`,
          'Liity tapaamiseen:',
          { link: m.joinUrl },
          'Päivitetty kalenterikutsu on liitteenä; se korvaa aiemman.',
        ],
      },
      cancellation: {
        subject: `Peruttu: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `${Kind} (${m.municipalityName}) ${when} on peruttu.`,
          'Liitteenä oleva peruutus poistaa tapaamisen kalenteristasi.',
        ],
      },
      reminder: {
        subject: `Muistutus: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `Muistutus: ${kind} (${m.municipalityName}) alkaa ${when}.`,
          `Kesto: ${m.durationMinutes} min`,
          'Liity tapaamiseen:',
          { link: m.joinUrl },
        ],
      },
    },
    sv: {
      invitation: {
        subject: `${Kind}: ${m.municipalityName}, ${when}`,
        blocks: [
          `${Kind} (${m.municipalityName}, kommuntutor ${m.tutorName}) är avtalat.`,
          `Tid: ${when}\nLängd: ${m.durationMinutes} min`,
          'Anslut till mötet:',
          { link: m.joinUrl },
          'Kalenderinbjudan finns som bilaga.',
        ],
      },
      update: {
        subject: `Ändrat: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `${Kind} (${m.municipalityName}) har ändrats.`,
          `Ny tid: ${when}${before ? ` (tidigare ${before})` : ''}\nLängd: ${m.durationMinutes} min`,
          'Anslut till mötet:',
          { link: m.joinUrl },
          'Den uppdaterade kalenderinbjudan i bilagan ersätter den tidigare.',
        ],
      },
      cancellation: {
        subject: `Inställt: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [`${Kind} (${m.municipalityName}) ${when} är inställt.`, 'Avbokningen i bilagan tar bort mötet ur din kalender.'],
      },
      reminder: {
        subject: `Påminnelse: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `Påminnelse: ${kind} (${m.municipalityName}) börjar ${when}.`,
          `Längd: ${m.durationMinutes} min`,
          'Anslut till mötet:',
          { link: m.joinUrl },
        ],
      },
    },
    en: {
      invitation: {
        subject: `${Kind}: ${m.municipalityName}, ${when}`,
        blocks: [
          `A ${kind} (${m.municipalityName}, municipal tutor ${m.tutorName}) has been scheduled.`,
          `Time: ${when}\nDuration: ${m.durationMinutes} min`,
          'Join the meeting:',
          { link: m.joinUrl },
          'The calendar invitation is attached.',
        ],
      },
      update: {
        subject: `Changed: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `The ${kind} (${m.municipalityName}) has changed.`,
          `New time: ${when}${before ? ` (was ${before})` : ''}\nDuration: ${m.durationMinutes} min`,
          'Join the meeting:',
          { link: m.joinUrl },
          'The updated calendar invitation is attached; it replaces the earlier one.',
        ],
      },
      cancellation: {
        subject: `Cancelled: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `The ${kind} (${m.municipalityName}) on ${when} is cancelled.`,
          'The attached cancellation removes it from your calendar.',
        ],
      },
      reminder: {
        subject: `Reminder: ${kind} ${m.municipalityName}, ${when}`,
        blocks: [
          `A reminder: the ${kind} (${m.municipalityName}) starts ${when}.`,
          `Duration: ${m.durationMinutes} min`,
          'Join the meeting:',
          { link: m.joinUrl },
        ],
      },
    },
  };
  const text = texts[m.language][m.kind];
  const statusLabel = {
    fi: 'Tapaamiset ja hakemuksen tila:',
    sv: 'Möten och ansökans status:',
    en: 'Your meetings and application:',
  }[m.language];
  return renderEmail(
    m.language,
    m.recipientName,
    m.statusUrl ? { ...text, blocks: [...text.blocks, statusLabel, { link: m.statusUrl }] } : text,
  );
}

// --- After sessions -------------------------------------------------------------------------------

export interface FollowUpMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  tutorName: string;
  meetingKind: MeetingKind;
  startsAt: string;
  actions: string[];
  next?: { meetingKind: MeetingKind; startsAt: string; joinUrl: string };
  statusUrl: string;
}

/** To the municipality after a logged session: the agreed actions and the next meeting, if one is scheduled. */
export function followUpEmail(m: FollowUpMail): RenderedMail {
  const held = formatDateTime(m.startsAt, m.language);
  const kind = meetingKindLabel(m.meetingKind, m.language);
  const next = m.next
    ? { kind: meetingKindLabel(m.next.meetingKind, m.language), when: formatDateTime(m.next.startsAt, m.language) }
    : undefined;
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Yhteenveto: ${kind} ${m.municipalityName}`,
      blocks: [
        `Kiitos tapaamisesta (${kind}, ${held})!`,
        m.actions.length ? 'Sovitut toimenpiteet:' : 'Tapaamisessa ei sovittu erillisiä toimenpiteitä.',
        ...(m.actions.length ? [{ list: m.actions }] : []),
        next ? `Seuraava tapaaminen: ${next.kind}, ${next.when}` : 'Seuraavaa tapaamista ei ole vielä sovittu.',
        ...(m.next ? [{ link: m.next.joinUrl }] : []),
        `Terveisin kuntatutori ${m.tutorName}`,
        'Hakemuksen tila ja tapaamiset:',
        { link: m.statusUrl },
      ],
    },
    sv: {
      subject: `Sammandrag: ${kind} ${m.municipalityName}`,
      blocks: [
        `Tack för mötet (${kind}, ${held})!`,
        m.actions.length ? 'Överenskomna åtgärder:' : 'Inga särskilda åtgärder avtalades på mötet.',
        ...(m.actions.length ? [{ list: m.actions }] : []),
        next ? `Nästa möte: ${next.kind}, ${next.when}` : 'Nästa möte är ännu inte avtalat.',
        ...(m.next ? [{ link: m.next.joinUrl }] : []),
        `Hälsningar, kommuntutor ${m.tutorName}`,
        'Ansökans status och möten:',
        { link: m.statusUrl },
      ],
    },
    en: {
      subject: `Summary: ${kind} ${m.municipalityName}`,
      blocks: [
        `Thank you for the meeting (${kind}, ${held})!`,
        m.actions.length ? 'Actions agreed:' : 'No particular actions were agreed in the meeting.',
        ...(m.actions.length ? [{ list: m.actions }] : []),
        next ? `Next meeting: ${next.kind}, ${next.when}` : 'No next meeting is scheduled yet.',
        ...(m.next ? [{ link: m.next.joinUrl }] : []),
        `Best wishes, your municipal tutor ${m.tutorName}`,
        'Your application and meetings:',
        { link: m.statusUrl },
      ],
    },
  };
  return renderEmail(m.language, m.contactName, texts[m.language]);
}

export interface LogNudgeMail {
  language: Language;
  tutorName: string;
  municipalityName: string;
  meetingKind: MeetingKind;
  startsAt: string;
  meetingId: string;
}

/** To the tutor: a meeting held three days ago still has no session log. */
export function logNudgeEmail(m: LogNudgeMail): RenderedMail {
  const when = formatDateTime(m.startsAt, m.language);
  const kind = meetingKindLabel(m.meetingKind, m.language);
  const how = `POST /meetings/${m.meetingId}/log`;
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Kirjaamatta: ${kind} ${m.municipalityName}`,
      blocks: [
        `Tapaamiselle (${kind}, ${m.municipalityName}, ${when}) ei ole vielä kirjattu muistiinpanoja.`,
        `Kirjaa osallistujat, teemat ja sovitut toimenpiteet: ${how}`,
      ],
    },
    sv: {
      subject: `Ej dokumenterat: ${kind} ${m.municipalityName}`,
      blocks: [
        `Mötet (${kind}, ${m.municipalityName}, ${when}) har ännu inga anteckningar.`,
        `Dokumentera deltagare, teman och överenskomna åtgärder: ${how}`,
      ],
    },
    en: {
      subject: `Not logged yet: ${kind} ${m.municipalityName}`,
      blocks: [
        `The ${kind} with ${m.municipalityName} on ${when} has no session log yet.`,
        `Please log attendees, themes and the actions agreed: ${how}`,
      ],
    },
  };
  return renderEmail(m.language, m.tutorName, texts[m.language]);
}

export interface ExtraMeetingsMail {
  language: Language;
  recipientName: string;
  municipalityName: string;
  message: string;
  engagementId: string;
  contact?: { name: string; email: string };
}

/** To the tutor (or the coordinators while there is none): the municipality asks for extra meetings. */
export function extraMeetingsEmail(m: ExtraMeetingsMail): RenderedMail {
  const how = `POST /engagements/${m.engagementId}/meetings {"kind": "extra", ...}`;
  const contact = m.contact ? `${m.contact.name}, ${m.contact.email}` : '–';
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Lisätapaamistoive: ${m.municipalityName}`,
      blocks: [
        `Kunta ${m.municipalityName} toivoo lisätapaamisia:`,
        `"${m.message}"`,
        `Yhteyshenkilö: ${contact}`,
        `Sovi tapaamiset tyypillä "extra": ${how}`,
      ],
    },
    sv: {
      subject: `Önskemål om extra möten: ${m.municipalityName}`,
      blocks: [
        `${m.municipalityName} önskar extra möten:`,
        `"${m.message}"`,
        `Kontaktperson: ${contact}`,
        `Boka mötena som "extra": ${how}`,
      ],
    },
    en: {
      subject: `Extra meetings requested: ${m.municipalityName}`,
      blocks: [
        `${m.municipalityName} asks for extra meetings:`,
        `"${m.message}"`,
        `Contact: ${contact}`,
        `Schedule them as "extra": ${how}`,
      ],
    },
  };
  return renderEmail(m.language, m.recipientName, texts[m.language]);
}

export interface SummaryMail {
  language: Language;
  contactName: string;
  municipalityName: string;
  roundName: string;
  tutorName?: string;
  meetingsHeld: number;
  minutes: number;
  themes: string[];
  actions: string[];
  statusUrl: string;
}

/** To the municipality when the programme is done: meetings held, hours, themes and actions. */
export function summaryEmail(m: SummaryMail): RenderedMail {
  const h = hours(m.minutes, m.language);
  const texts: Record<Language, Text> = {
    fi: {
      subject: `Sparraus päättyi: ${m.municipalityName}`,
      blocks: [
        `Kunnan ${m.municipalityName} sparrausohjelma (${m.roundName}) on päättynyt. Kiitos yhteistyöstä!`,
        `Tapaamisia pidettiin ${m.meetingsHeld}, yhteensä ${h} tuntia.`,
        'Käsitellyt teemat:',
        { list: m.themes.length ? m.themes : ['–'] },
        'Sovitut toimenpiteet:',
        { list: m.actions.length ? m.actions : ['–'] },
        ...(m.tutorName ? [`Terveisin kuntatutori ${m.tutorName}`] : []),
        { link: m.statusUrl },
      ],
    },
    sv: {
      subject: `Sparringen avslutad: ${m.municipalityName}`,
      blocks: [
        `Sparringprogrammet för ${m.municipalityName} (${m.roundName}) är avslutat. Tack för samarbetet!`,
        `Antal möten: ${m.meetingsHeld}, sammanlagt ${h} timmar.`,
        'Teman som behandlades:',
        { list: m.themes.length ? m.themes : ['–'] },
        'Överenskomna åtgärder:',
        { list: m.actions.length ? m.actions : ['–'] },
        ...(m.tutorName ? [`Hälsningar, kommuntutor ${m.tutorName}`] : []),
        { link: m.statusUrl },
      ],
    },
    en: {
      subject: `Coaching completed: ${m.municipalityName}`,
      blocks: [
        `The coaching programme of ${m.municipalityName} ("${m.roundName}") is complete. Thank you for working with us!`,
        `Meetings held: ${m.meetingsHeld}, ${h} hours in all.`,
        'Themes covered:',
        { list: m.themes.length ? m.themes : ['–'] },
        'Actions agreed:',
        { list: m.actions.length ? m.actions : ['–'] },
        ...(m.tutorName ? [`Best wishes, your municipal tutor ${m.tutorName}`] : []),
        { link: m.statusUrl },
      ],
    },
  };
  return renderEmail(m.language, m.contactName, texts[m.language]);
}
