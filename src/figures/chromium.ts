import fs from 'node:fs';

/**
 * The browser that renders figures: RL_FOCAL_CHROMIUM if set, else the first system Chromium/Chrome found.
 * Never a downloaded browser: the project installs Debian's `chromium` (scripts/bootstrap.mjs keeps the same list).
 */
export function findChromium(): string | null {
  const override = process.env.RL_FOCAL_CHROMIUM;
  const candidates = override
    ? [override]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

// Offline, headless, in a container as root: no sandbox (needs user namespaces), no GPU, no background traffic.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
