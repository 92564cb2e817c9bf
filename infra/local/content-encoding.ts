/** Content negotiation shared by the local gateway and the local web site. */

/**
 * Whether an `Accept-Encoding` header allows this content coding: named with q > 0, or covered by
 * `*` (RFC 9110, 12.5.3). Without the header only `identity` is assumed.
 */
export const acceptsEncoding = (header: string | undefined, encoding: string): boolean => {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  return (weights.get(encoding) ?? weights.get('*') ?? 0) > 0;
};
