/**
 * What every endpoint of the local runtime checks before it trusts a request: the name it was sent to
 * (only loopback names of our own port, so a page on a rebinding domain cannot reach us), the media
 * type, and a body size that stops reading early.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Whether the Host header names this runtime on loopback. A browser sends the name from the address
 * bar, so a page served from `evil.example` that rebinds its name to 127.0.0.1 still says
 * `evil.example` here; a missing Host is refused too.
 */
export const isLoopbackHost = (host: string | undefined, port: number): boolean => {
  if (host === undefined) return false;
  const name = host.toLowerCase();
  return loopbackNames.some(
    (loopback) => name === `${loopback}:${port}` || (port === 80 && name === loopback),
  );
};

/** The media type of the body, lower case and without parameters (`application/json`). */
export const mediaTypeOf = (req: IncomingMessage): string | undefined =>
  req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();

/**
 * The body, or undefined as soon as it passes `maxBytes`: reading stops there and the connection is
 * closed after the answer, so an oversized body is neither held in memory nor read to its end.
 */
export const readBodyUpTo = async (
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<Buffer | undefined> => {
  const tooLarge = () => {
    res.setHeader('connection', 'close');
    return undefined;
  };
  if (Number(req.headers['content-length']) > maxBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};
