// What a visitor downloads and how long until the page answers (issue 14's figures).
// A measurement, not a test of the suite: run it against the built site with
//   ADRONX_E2E_TESTS=end2end/bench/weight.test.mjs bash scripts/e2e.sh   (RUNS=5 by default)
// For `/`, `/login` and a signed-in `/app/inbox` it lists every script, wasm and strings file the
// browser fetched, with its size raw, gzip and brotli as the server sends them (asked again
// with each Accept-Encoding, since headless Chromium over plain HTTP does not ask for brotli).
// Then it times the landing page until it is interactive (the app marks <body data-hydrated>)
// in a fresh browser on a throttled network and CPU: Lighthouse's "Slow 4G" (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up) and a 4× CPU slowdown; the median of RUNS cold loads.
import { test } from 'node:test';
import { bodyBytes, newBrowser, signUp, waitForHydration } from '../support.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** The scripts, wasm and strings a page fetched, in order. */
async function fetchedBy(page, path) {
  const seen = [];
  const listener = (r) => {
    const url = new URL(r.url());
    if (/\.(js|wasm|ftl)$/.test(url.pathname)) seen.push(url.pathname + url.search);
  };
  page.on('request', listener);
  await page.goto(path);
  await waitForHydration(page);
  page.off('request', listener);
  return seen;
}

async function report(label, files) {
  const rows = [];
  for (const f of files) {
    const size = async (encoding) => (await bodyBytes(f, encoding)).n;
    rows.push({ file: f.split('?')[0], raw: await size('identity'), gzip: await size('gzip'), brotli: await size('br') });
  }
  const sum = (k, kind) => rows.filter((r) => kind.test(r.file)).reduce((s, r) => s + r[k], 0);
  console.log(`\n${label}`);
  console.table(rows);
  for (const [name, kind] of [['wasm', /\.wasm$/], ['js', /\.js$/], ['strings', /\.ftl$/], ['all', /./]]) {
    console.log(`  ${name.padEnd(8)} raw ${sum('raw', kind)} B, gzip ${sum('gzip', kind)} B, brotli ${sum('brotli', kind)} B`);
  }
}

async function timeToInteractive(path) {
  const { browser, context } = await newBrowser({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.body?.dataset.hydrated === 'true') {
          window.__interactiveAt = performance.now();
          obs.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
    });
    await page.goto(path, { timeout: 120_000 });
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
    return await page.evaluate(() => ({
      interactive: window.__interactiveAt,
      dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    }));
  } finally {
    await browser.close();
  }
}

test('bytes fetched for /, /login and /app/inbox, and the landing page interactive on Slow 4G with 4x CPU', { timeout: 900_000 }, async () => {
  const { browser, context } = await newBrowser({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    await report('/ (anonymous)', await fetchedBy(page, '/'));
    await report('/login (anonymous)', await fetchedBy(page, '/login'));
    await signUp(page, `weight-${Date.now()}@example.com`);
    await report('/app/inbox (signed in)', await fetchedBy(page, '/app/inbox'));
  } finally {
    await browser.close();
  }
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timeToInteractive('/'));
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(`\n/ on Slow 4G, 4x CPU, ${RUNS} cold loads: interactive ${runs.map((r) => Math.round(r.interactive)).join(', ')} ms`);
  console.log(`  median: interactive ${Math.round(median('interactive'))} ms, DOMContentLoaded ${Math.round(median('dcl'))} ms`);
});
