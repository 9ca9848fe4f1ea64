// What the server's routes share about HTTP requests: reading a body of bounded size, and the
// reader's wish not to be tracked.

/** The body, or undefined once it grows past `max` bytes, whatever Content-Length said. */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) return undefined;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** True when the reader's browser asks not to be tracked (Global Privacy Control, Do Not Track). */
export function optsOut(headers: Headers): boolean {
  return headers.get('sec-gpc')?.trim() === '1' || headers.get('dnt')?.trim() === '1';
}
