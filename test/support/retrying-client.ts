/**
 * A client that does what a 429 or 503 asks: waits a random part of Retry-After (so a crowd does not
 * come back at once) and sends the same request again. Every answer goes to `onAnswer`.
 */
export const retriedAsAsked = async <T extends { status: number; headers: Headers }>(
  send: () => Promise<T>,
  { attempts = 10, onAnswer }: { attempts?: number; onAnswer?: (answer: T) => void } = {},
): Promise<T> => {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const answer = await send();
    statuses.push(answer.status);
    onAnswer?.(answer);
    if (answer.status !== 429 && answer.status !== 503) return answer;
    const retryAfter = Number(answer.headers.get('retry-after'));
    await new Promise((wake) => setTimeout(wake, retryAfter * 1000 * Math.random()));
  }
  throw new Error(`no answer but "retry" after ${attempts} attempts: ${statuses.join(', ')}`);
};
