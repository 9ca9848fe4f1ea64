// Counts the invitation seen (contact_view): at least half of it (the question, the author and
// the links; the message form below may be taller than a phone's screen) on screen for a second,
// once per page view. Loaded by contact-tracking.ts when the reader first scrolls, which it does
// to reach the block at the end of a part, and only when tracking is allowed. Brings the reading
// depth of a part along (reading-depth.ts).
import { handOver } from './contact-events.ts';
// How far the part is read: loaded with this script, bundled into it.
import './reading-depth.ts';

const block = document.querySelector<HTMLElement>('[data-contact]')!;
let timer: ReturnType<typeof setTimeout>;
const watch = new IntersectionObserver(
  ([entry]) => {
    clearTimeout(timer);
    if (entry!.intersectionRatio < 0.5) return;
    timer = setTimeout(() => {
      watch.disconnect();
      handOver({ type: 'contact_view', path: location.pathname, ...JSON.parse(block.dataset.contact!) });
    }, 1000);
  },
  { threshold: 0.5 },
);
watch.observe(block.querySelector('[data-contact-invitation]')!);
