// Counts a page view and every click on a contact link, for the marketing report. No cookies, no
// storage, nothing that identifies the reader; nothing at all when the browser asks not to be
// tracked. Part of the site script (site.ts); it acts only on a page with the contact block
// (src/components/ContactCta.astro).

/** The collector, src/pages/api/events.ts; with the trailing slash every URL of the site has. */
const endpoint = '/api/events/';

interface Analytics {
  dataLayer?: object[];
  plausible?: (event: string, options: { props: object }) => void;
  _paq?: unknown[][];
}

const block = document.querySelector<HTMLElement>('[data-contact]');
const privacy = navigator as Navigator & { globalPrivacyControl?: boolean };

if (block && !privacy.globalPrivacyControl && privacy.doNotTrack !== '1') {
  // The block's author, and on a part its series and part number.
  const page = { path: location.pathname, ...JSON.parse(block.dataset.contact!) };

  // sendBeacon queues the request and returns at once, so the link opens without waiting. A
  // string body goes as text/plain, which needs no CORS preflight.
  const send = (event: object) => {
    const body = JSON.stringify(event);
    if (!navigator.sendBeacon?.(endpoint, body)) {
      fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => {});
    }
  };

  send({ type: 'pageview', ...page });

  const onClick = (click: MouseEvent) => {
    const link = (click.target as Element).closest<HTMLElement>('[data-contact-channel]');
    // A right click only opens the context menu.
    if (!link || click.button > 1) return;
    const event = { type: 'contact_click', channel: link.dataset.contactChannel, ...page };
    send(event);
    // Hand the click to an analytics tool the site owner runs on the page, if any. Page views
    // are not handed over: these tools count those themselves.
    const tools = window as Window & Analytics;
    try {
      tools.dataLayer?.push({ event: 'contact_click', ...event });
      tools.plausible?.('contact_click', { props: event });
      tools._paq?.push(['trackEvent', 'contact_click', event.channel, event.path]);
    } catch {
      // Someone else's tool failing must not break the link.
    }
  };
  block.addEventListener('click', onClick);
  // A middle click opens the link in a new tab and fires only auxclick.
  block.addEventListener('auxclick', onClick);
}
