// RFC 9116: where to report a vulnerability. Rendered by every build (it has no cache key), so
// its Expires is always half a year after the build; the nightly publish keeps it fresh.
import type { APIRoute } from 'astro';
import { expiresAfter, securityTxt } from '../../lib/security-txt.ts';
import { absoluteUrl, paths, securityPolicy } from '../../site.config.ts';

export const GET: APIRoute = () =>
  new Response(
    securityTxt({
      contact: securityPolicy.contact,
      expires: expiresAfter(new Date(), securityPolicy.validDays),
      languages: securityPolicy.languages,
      canonical: absoluteUrl(paths.securityTxt),
    }),
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  );
