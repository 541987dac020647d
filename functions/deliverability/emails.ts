// The staff email about an unreachable contact, in Finnish, Swedish and English at once: the
// coordinators and tutors of a bilingual region read any of them.
import { layoutEmail, type EmailContent } from '../shared/email-layout.js';

export interface UnreachableContactMail {
  municipalityName: string;
  roundName: string;
  reason: 'bounce' | 'complaint';
  contactName: string;
}

export function unreachableContactEmail(m: UnreachableContactMail): EmailContent {
  const why = {
    fi: m.reason === 'bounce' ? 'sähköposti ei mene perille (pysyvä palautus)' : 'vastaanottaja merkitsi viestimme roskapostiksi',
    sv: m.reason === 'bounce' ? 'e-posten når inte fram (permanent studs)' : 'mottagaren markerade vårt meddelande som skräppost',
    en: m.reason === 'bounce' ? 'email cannot be delivered (permanent bounce)' : 'the recipient marked our email as spam',
  };
  return layoutEmail('fi', `Yhteyshenkilön osoite ei toimi / Kontaktpersonens adress fungerar inte: ${m.municipalityName}`, [
    `Kunnan ${m.municipalityName} yhteyshenkilön (${m.contactName}) osoitteeseen ${why.fi} sparrauksessa "${m.roundName}". Emme lähetä siihen enää viestejä. Pyydäthän kunnalta uuden yhteystiedon.`,
    `Till ${m.municipalityName}s kontaktperson (${m.contactName}): ${why.sv}, i sparringen "${m.roundName}". Vi skickar inte längre till adressen. Be kommunen om en ny kontaktuppgift.`,
    `${m.municipalityName}'s contact (${m.contactName}): ${why.en}, in "${m.roundName}". We no longer send to that address. Please ask the municipality for a new contact.`,
  ]);
}
