// Shared helpers for the browser tests: one headless Debian Chromium, driven by playwright-core.
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.ADRONX_E2E_URL ?? 'http://127.0.0.1:3000';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser with its own profile; `options` go to the context (e.g. javaScriptEnabled). */
export async function newBrowser(options = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
    headless: true,
  });
  const context = await browser.newContext({ baseURL: BASE_URL, ...options });
  return { browser, context };
}

/** Collects uncaught errors and console errors so a test can assert the page ran cleanly. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`http ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  return errors;
}

/** Waits until the wasm app has hydrated (the app marks <body data-hydrated> from an effect). */
export async function waitForHydration(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

/** Waits for an e-mail in the server's outbox (no SMTP in the browser run) whose text matches. */
export async function waitForEmail(pattern, timeoutMs = 10_000) {
  const { readdirSync, readFileSync } = await import('node:fs');
  // scripts/e2e.sh names the server's data directory; `cargo leptos end-to-end` serves from ./data.
  const dir = `${process.env.ADRONX_E2E_DATA_DIR ?? 'data'}/outbox`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try { files = readdirSync(dir).sort().reverse(); } catch { /* not created yet */ }
    for (const f of files) {
      // Undo quoted-printable soft line breaks and '=' escapes.
      const text = readFileSync(`${dir}/${f}`, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (pattern.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail matching ${pattern} in ${dir}`);
}

/** The password every test account is registered with. */
export const PASSWORD = 'a long and memorable passphrase';

/** Signs up through the form and the e-mailed confirmation link; ends on /app. */
export async function signUp(page, email, { js = true } = {}) {
  await page.goto('/register');
  if (js) await waitForHydration(page);
  await fillRegistration(page, email);
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-status.ok');
  const escaped = email.replace(/[.]/g, '\\.');
  const mail = await waitForEmail(new RegExp(`To: ${escaped}[\\s\\S]*confirm\\?token=`));
  const link = mail.match(/(http:\/\/127\.0\.0\.1:\d+\/confirm\?token=[A-Za-z0-9_-]+)/)[1];
  await page.goto(link);
  if (js) await waitForHydration(page);
  await page.fill('#confirm-password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app$/);
}

export async function fillRegistration(page, email) {
  await page.fill('#reg-first', 'Ana');
  await page.fill('#reg-last', 'Pérez');
  await page.fill('#reg-email', email);
  await page.fill('#reg-password', PASSWORD);
  await page.fill('#reg-org', 'Tienda Ana');
}


/**
 * One signed-up account shared by a file's cases: signed up once, in English (the confirmation
 * mail is read as plain text), its browser registered in `browsers` for closing. Sign-ups are
 * limited to ten an hour per client address, and the whole suite signs up from one.
 * Returns `() => Promise<{ browser, state }>` (state: the session's storageState).
 */
export function sharedSession(email, browsers) {
  let shared = null;
  return async () => {
    if (!shared) {
      const { browser, context } = await newBrowser({ locale: 'en-US' });
      browsers.push(browser);
      await signUp(await context.newPage(), email);
      shared = { browser, state: await context.storageState() };
    }
    return shared;
  };
}

/** A response body's size as sent for one Accept-Encoding (not decoded), and its Content-Encoding. */
export async function bodyBytes(path, encoding) {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, BASE_URL), { headers: { 'accept-encoding': encoding } }, (res) => {
      let n = 0;
      res.on('data', (chunk) => { n += chunk.length; });
      res.on('end', () => resolve({ n, encoding: res.headers['content-encoding'] }));
    });
    req.on('error', reject);
    req.end();
  });
}
