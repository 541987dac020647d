// The staff email about an unreachable contact, in Finnish, Swedish and English at once: the
// coordinators and tutors of a bilingual region read any of them.
import type { Language } from '../../schemas/common.js';
import { renderBlocks, type EmailContent } from '../shared/email-layout.js';

export interface UnreachableContactMail {
  municipalityName: string;
  roundName: string;
  reason: 'bounce' | 'complaint';
  contactName: string;
}

/** One language's texts: its part of the subject (Finnish and Swedish only) and its paragraph. */
interface Text {
  subject?: string;
  paragraph: string;
}

const texts: Record<Language, (m: UnreachableContactMail) => Text> = {
  fi: (m) => ({
    subject: 'Yhteyshenkilön osoite ei toimi',
    paragraph: `Kunnan ${m.municipalityName} yhteyshenkilön (${m.contactName}) osoitteeseen ${
      m.reason === 'bounce' ? 'sähköposti ei mene perille (pysyvä palautus)' : 'vastaanottaja merkitsi viestimme roskapostiksi'
    } sparrauksessa "${m.roundName}". Emme lähetä siihen enää viestejä. Pyydäthän kunnalta uuden yhteystiedon.`,
  }),
  sv: (m) => ({
    subject: 'Kontaktpersonens adress fungerar inte',
    paragraph: `Till ${m.municipalityName}s kontaktperson (${m.contactName}): ${
      m.reason === 'bounce' ? 'e-posten når inte fram (permanent studs)' : 'mottagaren markerade vårt meddelande som skräppost'
    }, i sparringen "${m.roundName}". Vi skickar inte längre till adressen. Be kommunen om en ny kontaktuppgift.`,
  }),
  en: (m) => ({
    paragraph: `${m.municipalityName}'s contact (${m.contactName}): ${
      m.reason === 'bounce' ? 'email cannot be delivered (permanent bounce)' : 'the recipient marked our email as spam'
    }, in "${m.roundName}". We no longer send to that address. Please ask the municipality for a new contact.`,
  }),
};

const languages: Language[] = ['fi', 'sv', 'en'];

export function unreachableContactEmail(m: UnreachableContactMail): EmailContent {
  const parts = languages.map((l) => texts[l](m));
  const subject = `${parts.flatMap((p) => (p.subject ? [p.subject] : [])).join(' / ')}: ${m.municipalityName}`;
  return renderBlocks('fi', { subject, blocks: parts.map((p) => p.paragraph) });
}
