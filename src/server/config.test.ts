import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, lanAddress, startBanner } from './config.js';

const iface = (address: string, internal: boolean, family: 'IPv4' | 'IPv6' = 'IPv4') => ({ address, internal, family, netmask: '', mac: '', cidr: null }) as os.NetworkInterfaceInfo;
const interfaces = { lo: [iface('127.0.0.1', true)], docker0: [iface('fe80::1', false, 'IPv6')], wlan0: [iface('192.168.1.20', false)] };

describe('[JOIN-6] the address phones use', () => {
  it('takes the first non-internal IPv4 address for links and QR codes when INNSPILL_PUBLIC_URL is not set', () => {
    expect(lanAddress(interfaces)).toBe('192.168.1.20');
    const config = configFromEnv({ PORT: '3000' }, interfaces);
    expect(config).toMatchObject({ publicUrl: 'http://192.168.1.20:3000', publicUrlSource: 'lan' });
    const banner = startBanner(config, 3000, 'PGlite').join('\n');
    expect(banner).toContain('Phones on this network join at http://192.168.1.20:3000');
    expect(banner).toContain('INNSPILL_PUBLIC_URL=');
  });

  it('keeps INNSPILL_PUBLIC_URL when set, and localhost (with how to fix it) without a network or when bound to loopback', () => {
    expect(configFromEnv({ INNSPILL_PUBLIC_URL: 'https://innspill.baerum.kommune.no/' }, interfaces)).toMatchObject({ publicUrl: 'https://innspill.baerum.kommune.no', publicUrlSource: 'env', secureCookies: true });
    expect(configFromEnv({ HOST: '127.0.0.1' }, interfaces).publicUrl).toBe('http://localhost:3000');
    const alone = configFromEnv({}, { lo: [iface('127.0.0.1', true)] });
    expect(alone).toMatchObject({ publicUrl: 'http://localhost:3000', publicUrlSource: 'localhost' });
    expect(startBanner(alone, 3000, 'PGlite').join('\n')).toMatch(/phones cannot reach[\s\S]*INNSPILL_PUBLIC_URL=/);
  });

  it('`innspill serve` prints this machine’s LAN address in its start banner (traffic only to 127.0.0.1)', async () => {
    const expected = lanAddress();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'innspill-banner-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/innspill.ts', 'serve', '--no-demo'], {
      env: { ...process.env, PORT: '0', HOST: '0.0.0.0', INNSPILL_DATA_DIR: dataDir, INNSPILL_PUBLIC_URL: '', DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no banner: ${text}`)), 170_000);
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          if (/running at http:\/\/localhost:\d+[\s\S]*\n.*\n/.test(text)) {
            clearTimeout(timer);
            resolve(text);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
      });
      const port = /running at http:\/\/localhost:(\d+)/.exec(output)![1];
      if (expected) expect(output).toContain(`Phones on this network join at http://${expected}:${port}`);
      else expect(output).toContain('No network address found');
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 200_000);
});
