/**
 * The local runtime's post office: a real SMTP server with a web inbox (maildev) and the SMS outbox
 * page, all on loopback. The inbox and the outbox show every message sent, so both ask for the same
 * password (basic auth, kept in the data folder's secrets.json); the SMTP server takes mail only from
 * those who know it as well. Nothing here is reachable from another machine.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { MailDev } from 'maildev';
import { postOfficeUser } from '#infra/local/post-office-inbox';
import { isLoopbackHost } from '#infra/local/requests';
import type { OutboxMessage } from '#shared/adapters/sms-senders';
import { securityHeaders } from '#shared/http/api-handler';

export interface PostOfficeOptions {
  /** Where maildev keeps the mails it received (survives a restart). */
  mailDir: string;
  /** The SMS outbox folder the sender writes to. */
  outboxDir: string;
  password: string;
  /** 0 (default) picks free ports. */
  smtpPort?: number;
  inboxPort?: number;
  outboxPort?: number;
}

export interface PostOffice {
  /** What the sender hands nodemailer: this server, with its credentials. */
  smtpUrl: string;
  inboxUrl: string;
  outboxUrl: string;
  stop(): Promise<void>;
}

const listen = (server: Server, port: number) =>
  new Promise<number>((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });

/** A free loopback port, for maildev, which does not say which port it took when given 0. */
const freePort = async (): Promise<number> => {
  const probe = createServer();
  const port = await listen(probe, 0);
  await new Promise((done) => probe.close(done));
  return port;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The outbox's messages, newest first. */
export const readOutbox = async (outboxDir: string): Promise<OutboxMessage[]> => {
  const names = (await readdir(outboxDir).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.json'),
  );
  const messages = await Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(outboxDir, name), 'utf8')) as OutboxMessage),
  );
  return messages.sort((a, b) => b.at.localeCompare(a.at));
};

const outboxPage = (messages: OutboxMessage[]) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>短信发件箱 SMS outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:40rem}li{border-bottom:1px solid #ddd;padding:.5rem 0;list-style:none}
small{color:#555}p{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}ul{padding:0}</style></head>
<body><h1>短信发件箱 <small>SMS outbox (local runtime)</small></h1>
<p>本机运行时发出的短信，不会真正发送。 Text messages the local runtime sent; none left this machine.</p>
<ul>${messages
  .map(
    (message) =>
      `<li><small>${escapeHtml(message.at)} → ${escapeHtml(message.to)}</small><p>${escapeHtml(message.text)}</p></li>`,
  )
  .join('')}</ul>${messages.length === 0 ? '<p>暂无短信。 No messages yet.</p>' : ''}</body></html>`;

const authorized = (header: string | undefined, password: string) => {
  const [scheme, encoded] = header?.split(' ') ?? [];
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return false;
  return Buffer.from(encoded, 'base64').toString('utf8') === `${postOfficeUser}:${password}`;
};

const startOutboxPage = async (outboxDir: string, password: string, requestedPort: number) => {
  let port = requestedPort;
  const server = createServer((req, res) => {
    const headers = { ...securityHeaders, 'cache-control': 'no-store' };
    if (!isLoopbackHost(req.headers.host, port)) {
      res.writeHead(421, headers).end();
      return;
    }
    if (!authorized(req.headers.authorization, password)) {
      res.writeHead(401, { ...headers, 'www-authenticate': 'Basic realm="SMS outbox"' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' || (path !== '/' && path !== '/messages')) {
      res.writeHead(404, headers).end();
      return;
    }
    readOutbox(outboxDir).then(
      (messages) => {
        if (path === '/messages') {
          res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ messages }));
        } else {
          res.writeHead(200, {
            ...headers,
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          });
          res.end(outboxPage(messages));
        }
      },
      () => res.writeHead(500, headers).end(),
    );
  });
  port = await listen(server, requestedPort);
  return { server, port };
};

export const startPostOffice = async (options: PostOfficeOptions): Promise<PostOffice> => {
  const smtpPort = options.smtpPort || (await freePort());
  const inboxPort = options.inboxPort || (await freePort());
  const maildev = new MailDev({
    smtp: smtpPort,
    ip: '127.0.0.1',
    web: inboxPort,
    webIp: '127.0.0.1',
    webUser: postOfficeUser,
    webPass: options.password,
    incomingUser: postOfficeUser,
    incomingPass: options.password,
    mailDirectory: options.mailDir,
    silent: true,
  });
  await maildev.start();
  const outbox = await startOutboxPage(options.outboxDir, options.password, options.outboxPort ?? 0).catch(
    async (error) => {
      await maildev.stop();
      throw error;
    },
  );
  return {
    smtpUrl: `smtp://${postOfficeUser}:${encodeURIComponent(options.password)}@127.0.0.1:${smtpPort}`,
    inboxUrl: `http://127.0.0.1:${inboxPort}`,
    outboxUrl: `http://127.0.0.1:${outbox.port}`,
    stop: async () => {
      await new Promise<void>((done) => {
        outbox.server.close(() => done());
        outbox.server.closeAllConnections();
      });
      await maildev.stop();
    },
  };
};
