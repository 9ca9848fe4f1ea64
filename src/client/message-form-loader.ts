// The message form works without JavaScript (a plain POST). Its script, which sends it in place,
// is loaded only once the reader starts on the form; a form sent before it has arrived waits for
// it, and is posted plainly if it cannot be loaded.
import { loadScript } from './load-script.ts';
import formModule from './message-form.ts?worker&url';

const form = document.querySelector<HTMLFormElement>('[data-message-form]');
if (form) {
  const load = () => loadScript(formModule);
  form.addEventListener('focusin', load, { once: true });
  form.addEventListener('submit', (event) => {
    // Set by message-form.ts as it takes the form over.
    if ('enhanced' in form.dataset) return;
    event.preventDefault();
    load().then(
      () => form.requestSubmit(),
      () => form.submit(),
    );
  });
}
