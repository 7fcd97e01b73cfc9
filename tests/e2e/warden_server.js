// Starts a real `warden serve` on 127.0.0.1:0 in a fresh data directory and
// offers small helpers: the admin token, the CLI and the HTTP API.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function wardenBinary() {
  const binary = process.env.WARDEN_BINARY;
  if (!binary) throw new Error('WARDEN_BINARY is not set');
  return binary;
}

export class WardenServer {
  // `extraArgs` are appended to `warden serve` (e.g. ['--token-signing-alg', 'ES256']).
  static async start({ extraArgs = [] } = {}) {
    const server = new WardenServer();
    server.dataDir = await mkdtemp(join(tmpdir(), 'warden-e2e-'));
    server.process = spawn(
      wardenBinary(),
      ['serve', '--data-dir', join(server.dataDir, 'data'), '--listen', '127.0.0.1:0',
        ...extraArgs],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    server.url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60000);
      server.process.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (https?:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.process.on('exit', (code) => reject(new Error(`warden exited ${code}`)));
    });
    server.adminToken = (await readFile(join(server.dataDir, 'data', 'admin.token'), 'utf8')).trim();
    return server;
  }

  // Runs `warden ARGS...` against this server; resolves to stdout.
  async cli(...args) {
    const env = { ...process.env, WARDEN_URL: this.url, WARDEN_TOKEN: this.adminToken };
    const { stdout } = await run(wardenBinary(), args, { env });
    return stdout.trim();
  }

  async api(method, path, body, token = this.adminToken) {
    const response = await fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async stop() {
    const exited = new Promise((resolve) => this.process.on('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
