import { describe, expect, it } from 'vitest';
import { checkMessage, messageInput, messageLimits, type MessageInput } from './message-form.ts';

const valid: MessageInput = {
  name: 'Anna de Vries',
  email: 'anna.de.vries@gemeente.example.nl',
  question: 'Hoe begin je met een informatievisie?',
  consent: true,
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('messageInput', () => {
  it('reads the fields as the form posts them, trimmed', () => {
    expect(
      messageInput(
        form({ name: '  Anna ', email: ' anna@example.nl', question: '\n Vraag \n', consent: 'ja' }),
      ),
    ).toEqual({
      name: 'Anna',
      email: 'anna@example.nl',
      question: 'Vraag',
      consent: true,
    });
  });

  it('treats a missing field as empty and an unticked box as no consent', () => {
    expect(messageInput(form({}))).toEqual({ name: '', email: '', question: '', consent: false });
  });

  it('keeps line breaks and tabs in a question, and removes every other control character', () => {
    const input = messageInput(
      form({
        name: 'An\r\nna\u0000',
        email: 'a@b.nl\u001b',
        question: 'Eén\r\ntwee\rdrie\tvier\u001b[31m\u0007',
      }),
    );
    expect(input.name).toBe('Anna');
    expect(input.email).toBe('a@b.nl');
    expect(input.question).toBe('Eén\ntwee\ndrie\tvier[31m');
  });

  it('reads only the first value of a field sent twice', () => {
    expect(messageInput(new URLSearchParams('name=Anna&name=Bob')).name).toBe('Anna');
  });
});

describe('checkMessage', () => {
  it('accepts a complete message', () => {
    expect(checkMessage(valid)).toEqual({
      ok: true,
      message: { name: valid.name, email: valid.email, question: valid.question },
    });
  });

  it('says in Dutch, per field, what is missing', () => {
    expect(checkMessage({ name: '', email: '', question: '', consent: false })).toEqual({
      ok: false,
      errors: {
        name: 'Vul je naam in.',
        email: 'Vul je e-mailadres in.',
        question: 'Vul je vraag in.',
        consent: 'Ga akkoord met de privacyverklaring om je bericht te versturen.',
      },
    });
  });

  it.each([
    'anna',
    'anna@',
    '@gemeente.nl',
    'anna@gemeente',
    'anna de vries@gemeente.nl',
    'anna@@gemeente.nl',
    '<anna@gemeente.nl>',
  ])('refuses the e-mail address %s, and only that field', (email) => {
    expect(checkMessage({ ...valid, email })).toEqual({
      ok: false,
      errors: { email: 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.' },
    });
  });

  it('allows each field up to its limit and refuses one character more', () => {
    const at = (field: 'name' | 'question', extra: number) => ({
      ...valid,
      [field]: 'a'.repeat(messageLimits[field] + extra),
    });
    expect(checkMessage(at('name', 0)).ok).toBe(true);
    expect(checkMessage(at('name', 1))).toEqual({
      ok: false,
      errors: { name: 'Je naam is te lang. Gebruik hoogstens 100 tekens.' },
    });
    expect(checkMessage(at('question', 0)).ok).toBe(true);
    expect(checkMessage(at('question', 1))).toEqual({
      ok: false,
      errors: { question: 'Je vraag is 2001 tekens lang. Maak hem korter: hoogstens 2000 tekens.' },
    });

    const longAddress = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(65)}.nl`;
    expect(longAddress.length).toBe(messageLimits.email + 1);
    expect(checkMessage({ ...valid, email: longAddress })).toEqual({
      ok: false,
      errors: { email: 'Dit e-mailadres is te lang. Gebruik hoogstens 254 tekens.' },
    });
  });

  it('counts characters as a reader does, not UTF-16 units', () => {
    // 2000 emoji are 4000 UTF-16 units but 2000 characters.
    expect(checkMessage({ ...valid, question: '👍'.repeat(messageLimits.question) }).ok).toBe(true);
  });

  it('takes HTML in a message as text: it is stored as typed and escaped where it is shown', () => {
    const question = '<script>alert(1)</script> <b>vet</b>';
    expect(checkMessage({ ...valid, question })).toMatchObject({ ok: true, message: { question } });
  });
});
