// Sends the message form in place, so the reader stays on the part. The same route answers the
// plain form with pages and this script with JSON (src/server/message-receiver.ts); the texts come from
// the form itself (src/components/MessageForm.astro). Results are announced in the form's live
// region; focus goes to the first field to fix, or to the message once it is sent.

interface Answer {
  sent?: boolean;
  errors?: Record<string, string>;
  notice?: string;
  error?: string;
  token?: string;
}

const form = document.querySelector<HTMLFormElement>('[data-message-form]');

if (form) {
  const status = form.querySelector<HTMLElement>('[data-message-status]')!;
  const texts = form.dataset;
  let sending = false;
  // Tells message-form-loader.ts that this script sends the form now.
  form.dataset.enhanced = '';

  form.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    if (sending) return;
    sending = true;
    let answer: Answer;
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
    // Where this view came from, so the message counts toward its source like a click (the
    // server keeps only the host). Not when the browser asks not to be tracked.
    const privacy = navigator as Navigator & { globalPrivacyControl?: boolean };
    if (!privacy.globalPrivacyControl && privacy.doNotTrack !== '1') body.set('referrer', document.referrer);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body,
        headers: { Accept: 'application/json' },
      });
      answer = await response.json();
    } catch {
      answer = { notice: texts.messageFailed };
    }
    sending = false;

    if (answer.token) (form.elements.namedItem('token') as HTMLInputElement).value = answer.token;
    let firstInvalid: HTMLElement | undefined;
    for (const error of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
      const field = form.elements.namedItem(error.dataset.errorFor!) as HTMLElement;
      const text = answer.errors?.[error.dataset.errorFor!] ?? '';
      error.textContent = text;
      error.hidden = !text;
      if (text) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
      firstInvalid ??= text ? field : undefined;
    }
    if (answer.sent) form.querySelector<HTMLElement>('[data-message-fields]')!.hidden = true;
    status.textContent = answer.sent
      ? texts.messageSent!
      : (answer.notice ?? answer.error ?? (firstInvalid ? texts.messageInvalid! : ''));
    (firstInvalid ?? status).focus();
  });
}
