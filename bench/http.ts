// A small HTTP client for driving the local stack as a client would, counting the requests it makes.
export interface Answer<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

export class ApiClient {
  requests = 0;
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    this.requests++;
    const t0 = performance.now();
    const response = await fetch(path.startsWith('http') ? path : `${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    const body = (response.headers.get('content-type') ?? '').includes('json') && text !== '' ? JSON.parse(text) : text;
    return { status: response.status, body: body as T, ms };
  }

  /** Like call, but throws unless the status is one of `expected` (the lifecycle must not go wrong silently). */
  async expect<T = unknown>(
    expected: readonly number[],
    method: string,
    path: string,
    options: { token?: string; json?: unknown } = {},
  ): Promise<T> {
    const answer = await this.call<T>(method, path, options);
    if (!expected.includes(answer.status)) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
    return answer.body;
  }

  async token(role: 'coordinator' | 'tutor', email: string): Promise<string> {
    return (await this.expect<{ token: string }>([200], 'POST', '/dev/token', { json: { role, email } })).token;
  }

  async now(): Promise<number> {
    return Date.parse((await this.expect<{ now: string }>([200], 'GET', '/dev/clock')).now);
  }
}

/** Runs `work` over `items` with at most `limit` at a time, in order of start. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
