// Counts how far one view of a part is read (src/lib/reading-depth.ts): the furthest section whose
// heading came on screen, whether the last paragraph did, and the engaged time in 5-second windows
// in which the tab was visible and the reader scrolled, typed, pointed or touched. Sent to the
// collector each time the page is hidden, under a random id that lives only in this page's memory
// (no cookie, no storage), so that a later record of the same view replaces the earlier one and
// nothing links two views. Loaded with contact-view.ts, after the first scroll, and only when
// tracking is allowed (contact-tracking.ts checks GPC and Do Not Track).
import { endpoint } from './contact-events.ts';
import { engagedWindowSeconds, maxEngagedWindows } from '../lib/reading-depth.ts';

const block = document.querySelector<HTMLElement>('[data-contact]')!;
const page = JSON.parse(block.dataset.contact!) as { author: string; series?: string; part?: number };

/** A random (version 4) UUID; crypto.randomUUID exists only on HTTPS, getRandomValues everywhere. */
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

if (page.part !== undefined) {
  // The part's sections, as the build lists them (getContactPages): the h2 headings of its body.
  const headings = [...document.querySelectorAll<HTMLElement>('article .prose h2[id]')];
  const last = [...document.querySelectorAll('article .prose p')].at(-1);
  const view = randomId();
  let reached = 0;
  let end = false;
  let engaged = 0;
  // The first scroll, which loaded this script, makes the first window engaged.
  let active = true;
  let sent = '';

  const watch = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      if (entry.target === last) end = true;
      else reached = Math.max(reached, headings.indexOf(entry.target as HTMLElement) + 1);
    }
  });
  for (const element of [...headings, last]) if (element) watch.observe(element);

  const visible = () => document.visibilityState === 'visible';
  for (const type of ['scroll', 'keydown', 'pointermove', 'pointerdown', 'touchstart'])
    addEventListener(type, () => (active ||= visible()), { passive: true, capture: true });
  setInterval(() => {
    if (active && visible()) engaged = Math.min(engaged + 1, maxEngagedWindows);
    active = false;
  }, engagedWindowSeconds * 1000);

  const send = () => {
    const record = JSON.stringify({
      type: 'depth',
      path: location.pathname,
      ...page,
      view,
      reached,
      section: headings[reached - 1]?.id,
      end,
      // The window under way counts once it had activity.
      engaged: Math.min(engaged + (active ? 1 : 0), maxEngagedWindows),
    });
    // Hiding fires both visibilitychange and pagehide: one record unless something changed.
    if (record !== sent) sent = navigator.sendBeacon(endpoint, record) ? record : sent;
  };
  addEventListener('visibilitychange', () => visible() || send());
  addEventListener('pagehide', send);
}
