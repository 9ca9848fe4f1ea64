// Counts a page view and every click on a contact link, for the marketing report, with the
// referrer of the view (the server keeps only its host, src/lib/traffic-source.ts). No cookies, no
// storage, nothing that identifies the reader; nothing at all when the browser asks not to be
// tracked. Part of the site script (site.ts); it acts only on a page with the contact block
// (src/components/ContactCta.astro). Whether the invitation is seen is counted by
// contact-view.ts, loaded once the reader scrolls: the site script stays under 1 KB gzipped.
import { loadScript } from './load-script.ts';
import contactView from './contact-view.ts?worker&url';
import { handOver, sendEvent } from './contact-events.ts';

const block = document.querySelector<HTMLElement>('[data-contact]');
const privacy = navigator as Navigator & { globalPrivacyControl?: boolean };

if (block && !privacy.globalPrivacyControl && privacy.doNotTrack !== '1') {
  // The block's author, and on a part its series and part number.
  const page = { path: location.pathname, ...JSON.parse(block.dataset.contact!) };

  sendEvent({ type: 'pageview', ...page });
  addEventListener('scroll', () => loadScript(contactView), { once: true });

  const onClick = (click: MouseEvent) => {
    const link = (click.target as Element).closest<HTMLElement>('[data-contact-channel]');
    // A right click only opens the context menu.
    if (!link || click.button > 1) return;
    handOver({ type: 'contact_click', channel: link.dataset.contactChannel, ...page });
  };
  block.addEventListener('click', onClick);
  // A middle click opens the link in a new tab and fires only auxclick.
  block.addEventListener('auxclick', onClick);
}
