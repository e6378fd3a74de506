import { apiHealthSchema, type ApiHealth } from '../../src-shared/health';
import type { Clock } from './clock';

export type HealthProbe =
  | { ok: true; health: ApiHealth; latencyMs: number }
  | { ok: false; problem: string };

/**
 * The desktop's client for the central API. Every call goes through the injected `fetch` with a timeout, and
 * failures come back as values with a reason a handler can read, never as a thrown network error.
 */
export function createCentralApiClient(deps: { baseUrl: string; fetch: typeof fetch; clock: Clock; timeoutMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? 5000;

  async function probeHealth(): Promise<HealthProbe> {
    const started = deps.clock.now();
    let response: Response;
    try {
      response = await deps.fetch(new URL('/health', deps.baseUrl), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        ok: false,
        problem: timedOut
          ? `The central service did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s.`
          : 'The central service cannot be reached. Check the network connection.',
      };
    }
    if (!response.ok) {
      return { ok: false, problem: `The central service answered with an error (HTTP ${response.status}).` };
    }
    const parsed = apiHealthSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { ok: false, problem: 'The central service sent an answer this app does not understand.' };
    return { ok: true, health: parsed.data, latencyMs: Math.max(0, deps.clock.now() - started) };
  }

  return { baseUrl: deps.baseUrl, probeHealth };
}

export type CentralApiClient = ReturnType<typeof createCentralApiClient>;
