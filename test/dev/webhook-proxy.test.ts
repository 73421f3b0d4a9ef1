/**
 * Probot's development webhook proxy: with `WEBHOOK_PROXY_URL` set, `npm start`
 * relays deliveries from a smee.io channel to the local server, through the
 * `smee-client` package, which Probot only imports when it is installed (it
 * warns "Run `npm install --save-dev smee-client`" otherwise). Here Probot's
 * own helper is pointed at a local event stream standing in for smee.io.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type CreateWebhookProxy = (opts: { url: string; host: string; port: number; path: string; logger: unknown }) => Promise<{ close(): void } | undefined>;

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

describe('the development webhook proxy', () => {
  it('relays a delivery from the channel to the local webhook path with smee-client installed', async () => {
    let received: (value: { url: string; event: string; body: string }) => void = () => undefined;
    const delivery = new Promise<{ url: string; event: string; body: string }>((resolve) => (received = resolve));
    const target = createServer((req, res) => {
      void readBody(req).then((body) => {
        received({ url: req.url ?? '', event: String(req.headers['x-github-event']), body });
        res.end('ok');
      });
    });
    const targetPort = await listen(target);
    // A stand-in for the smee.io channel: one server-sent event carrying a webhook.
    const channel = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`data: ${JSON.stringify({ 'x-github-event': 'ping', body: { zen: 'Keep it logically awesome.' } })}\n\n`);
    });
    const channelPort = await listen(channel);

    const helper = pathToFileURL(join(REPO, 'node_modules', 'probot', 'lib', 'helpers', 'webhook-proxy.js')).href;
    const { createWebhookProxy } = (await import(helper)) as { createWebhookProxy: CreateWebhookProxy };
    const warnings: unknown[] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (m: unknown) => warnings.push(m) };
    const events = await createWebhookProxy({ url: `http://127.0.0.1:${channelPort}/channel`, host: '127.0.0.1', port: targetPort, path: '/api/github/webhooks', logger });
    try {
      expect(warnings).toEqual([]);
      expect(events).toBeDefined();
      expect(await delivery).toEqual({ url: '/api/github/webhooks', event: 'ping', body: '{"zen":"Keep it logically awesome."}' });
    } finally {
      events?.close();
    }
  });
});
