import { Agent, request } from 'node:http';

export interface JsonAnswer {
  status: number;
  body: string;
}

/**
 * One HTTP client on one keep-alive connection (as a desktop has to its central API): `post` sends a JSON body and
 * resolves with the status and the whole answer. The same client posts to our API and to a baseline server, so the
 * two differ only in the server.
 */
export function keepAliveClient(base: string, headers: Record<string, string> = {}) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  function send(method: 'GET' | 'POST', path: string, body: string | null): Promise<JsonAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: body === null ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  }
  return {
    post: (path: string, body: string) => send('POST', path, body),
    get: (path: string) => send('GET', path, null),
    close: () => agent.destroy(),
  };
}

export type KeepAliveClient = ReturnType<typeof keepAliveClient>;

/** Posts and insists on a 200, so a benchmark never times refusals. */
export async function postOk(client: KeepAliveClient, path: string, body: string): Promise<string> {
  const answer = await client.post(path, body);
  if (answer.status !== 200) throw new Error(`POST ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return answer.body;
}
