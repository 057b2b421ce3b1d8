// Bounded concurrency for fan-out calls (key names of many secrets, many clusters).

/** Runs fn over items with at most `limit` calls in flight. */
export async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  });
  await Promise.all(workers);
}
