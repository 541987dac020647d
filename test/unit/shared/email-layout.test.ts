// The one email renderer: greeting, blocks and signature as plain text and as escaped HTML.
import { describe, expect, it } from 'vitest';
import { linkBlocks, renderBlocks, renderEmail } from '../../../functions/shared/email-layout.js';

const hostile = `Maija "M" <script>alert('x')</script> & Co`;

describe('renderEmail', () => {
  it.each([
    ['fi', 'Hei', 'Ystävällisin terveisin,\nDigitukisparrauksen koordinaattorit'],
    ['sv', 'Hej', 'Med vänliga hälsningar,\nDigistödssparringens koordinatorer'],
    ['en', 'Hello', 'Kind regards,\nThe coaching round coordinators'],
  ] as const)('greets and signs in %s, with the lang attribute set', (language, hello, signature) => {
    const mail = renderEmail(language, 'Maija', { subject: 'S', blocks: ['Body.'] });
    expect(mail.text).toBe(`${hello} Maija,\n\nBody.\n\n${signature}`);
    expect(mail.html.startsWith(`<!doctype html><html lang="${language}"><body><p>${hello} Maija,</p>\n<p>Body.</p>\n<p>`)).toBe(
      true,
    );
    expect(mail.html).toContain(`<p>${signature.replace('\n', '<br>')}</p></body></html>`);
  });

  it('writes the text form with paragraphs apart, "- " list items and links on their own line', () => {
    const mail = renderEmail('en', 'Maija', {
      subject: '  Subject  ',
      blocks: ['Line one\nline two', { list: ['first', 'second'] }, 'See:', { link: 'https://x.example/a?b=1&c=2' }],
    });
    expect(mail.subject).toBe('Subject');
    expect(mail.text).toBe(
      'Hello Maija,\n\nLine one\nline two\n\n- first\n- second\n\nSee:\n\nhttps://x.example/a?b=1&c=2\n\nKind regards,\nThe coaching round coordinators',
    );
  });

  it('escapes names with markup and quotes in the HTML part, and keeps them as typed in the text', () => {
    const mail = renderEmail('fi', hostile, {
      subject: `Tervetuloa ${hostile}`,
      blocks: [`Kunta ${hostile}`, { list: [hostile] }],
    });
    const escaped = 'Maija &quot;M&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co';
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(`<p>Hei ${escaped},</p>`);
    expect(mail.html).toContain(`<p>Kunta ${escaped}</p>`);
    expect(mail.html).toContain(`<ul><li>${escaped}</li></ul>`);
    expect(mail.text).toContain(`Hei ${hostile},`);
    // The subject is a header, not HTML: it stays as typed.
    expect(mail.subject).toBe(`Tervetuloa ${hostile}`);
  });

  it('makes links only of link blocks, with the address escaped', () => {
    const url = 'https://x.example/a?b=1&c="2"';
    const mail = renderEmail('sv', 'Maija', { subject: 'S', blocks: [url, `Text with ${url}`, { link: url }] });
    const escapedUrl = 'https://x.example/a?b=1&amp;c=&quot;2&quot;';
    expect(mail.html.match(/<a /g)).toHaveLength(1);
    expect(mail.html).toContain(`<p><a href="${escapedUrl}">${escapedUrl}</a></p>`);
    expect(mail.html).toContain(`<p>${escapedUrl}</p>`);
    expect(mail.html).toContain(`<p>Text with ${escapedUrl}</p>`);
  });

  it('a link block cannot break out of the href', () => {
    const mail = renderEmail('en', 'M', { subject: 'S', blocks: [{ link: 'https://x/"><script>alert(1)</script>' }] });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://x/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('escapes list items and line breaks become <br> only in paragraphs', () => {
    const mail = renderEmail('en', 'M', { subject: 'S', blocks: [{ list: ['a <b>', 'c & d'] }, 'x\ny'] });
    expect(mail.html).toContain('<ul><li>a &lt;b&gt;</li><li>c &amp; d</li></ul>');
    expect(mail.html).toContain('<p>x<br>y</p>');
  });
});

describe('renderBlocks', () => {
  it('lays out blocks without greeting or signature', () => {
    const mail = renderBlocks('sv', { subject: 'S', blocks: ['Ett.', 'Två.'] });
    expect(mail.text).toBe('Ett.\n\nTvå.');
    expect(mail.html).toBe('<!doctype html><html lang="sv"><body><p>Ett.</p>\n<p>Två.</p></body></html>');
  });
});

describe('linkBlocks', () => {
  it('is one link block for a link, none for a missing or empty one', () => {
    expect(linkBlocks('https://x')).toEqual([{ link: 'https://x' }]);
    expect(linkBlocks(undefined)).toEqual([]);
    expect(linkBlocks('')).toEqual([]);
  });
});
