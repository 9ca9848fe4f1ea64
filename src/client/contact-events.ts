// Sends an event of a page with the contact block to the collector, and hands the invitation seen
// and contact clicks to an analytics tool the site owner runs on the page. Shared by
// contact-tracking.ts (page views, clicks) and contact-view.ts (the invitation seen).

/** The collector, src/pages/api/events.ts; with the trailing slash every URL of the site has. */
export const endpoint = '/api/events/';

interface Analytics {
  dataLayer?: object[];
  plausible?: (event: string, options: { props: object }) => void;
  _paq?: unknown[][];
}

/**
 * Each event carries the view's referrer; the campaign tags come with the request's Referer
 * header (this page's address). sendBeacon (in every browser since 2018) queues the request and
 * returns at once, so a link opens without waiting; a string body goes as text/plain, which needs
 * no CORS preflight.
 */
export const sendEvent = (event: object) =>
  navigator.sendBeacon(endpoint, JSON.stringify({ ...event, referrer: document.referrer }));

/** Sends the event, and hands it to Google Tag Manager, Plausible and Matomo when present. */
export function handOver(event: { type: string; channel?: string; path: string }) {
  sendEvent(event);
  const tools = window as Window & Analytics;
  try {
    tools.dataLayer?.push({ event: event.type, ...event });
    tools.plausible?.(event.type, { props: event });
    tools._paq?.push(['trackEvent', event.type, event.channel ?? 'seen', event.path]);
  } catch {
    // Someone else's tool failing must not break the page.
  }
}
