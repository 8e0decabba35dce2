// What the public pages make the browser download (issue 14): their own small bundle, no code of
// the signed-in app, and only the page language's strings; a language switch fetches the next
// language's strings and changes the page without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { bodyBytes, newBrowser, watchErrors, waitForHydration } from '../support.mjs';

// The built site the server serves (scripts/e2e.sh names it), whose sizes scripts/wasm-budget.sh checks.
const SITE = process.env.ADRONX_E2E_SITE_ROOT ?? 'target/site';

let browser, context;
before(async () => ({ browser, context } = await newBrowser({ locale: 'en-US' })));
after(async () => browser?.close());

/** Opens `path` and returns the wasm, script and strings files it fetched until hydrated. */
async function load(page, path) {
  const fetched = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/\.(js|wasm|ftl)$/.test(url.pathname)) fetched.push(url.pathname);
  });
  await page.goto(path);
  await waitForHydration(page);
  return fetched;
}

test('/ loads only the public bundle, within the wasm budget, and only English strings', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const fetched = await load(page, '/');
  const wasm = fetched.filter((p) => p.endsWith('.wasm'));
  assert.deepEqual(wasm, ['/pkg/public.wasm']);
  assert.ok(!fetched.some((p) => p.startsWith('/pkg/adronx.')), `the app's bundle was fetched: ${fetched}`);
  assert.deepEqual(fetched.filter((p) => p.endsWith('.ftl')), ['/locales/en.ftl']);
  // What the browser gets is the file the budget measures, and the budget holds for it.
  const { n, encoding } = await bodyBytes('/pkg/public.wasm', 'br');
  assert.equal(encoding, 'br', 'served precompressed');
  assert.equal(n, statSync(`${SITE}/pkg/public.wasm.br`).size);
  execFileSync('bash', ['scripts/wasm-budget.sh'], { env: { ...process.env, LEPTOS_SITE_ROOT: SITE } });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sign-in page loads the account pages\' bundle alone; a link from / to it loads that bundle', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const fetched = await load(page, '/');
  await page.click('header a[href="/login"]');
  await page.waitForURL(/\/login$/);
  await waitForHydration(page);
  await page.waitForSelector('#login-email');
  assert.deepEqual(fetched.filter((p) => p.endsWith('.wasm')), ['/pkg/public.wasm', '/pkg/account.wasm']);
  assert.ok(!fetched.some((p) => p.startsWith('/pkg/adronx.')), `the app's bundle was fetched: ${fetched}`);
  // Back to the landing page from the account bundle: the public site's bundle again.
  await page.click('a.brand');
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/en');
  await waitForHydration(page);
  assert.equal(fetched.filter((p) => p === '/pkg/public.wasm').length, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('switching language fetches that language\'s strings and changes the page in place', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const fetched = await load(page, '/ar/terms');
  assert.deepEqual(fetched.filter((p) => p.endsWith('.ftl')), ['/locales/ar.ftl']);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click('.lang-switcher a[data-lang="es"]');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.match(await page.locator('h1').innerText(), /Términos/);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');
  assert.deepEqual(fetched.filter((p) => p.endsWith('.ftl')), ['/locales/ar.ftl', '/locales/es.ftl']);
  assert.deepEqual(fetched.filter((p) => p.endsWith('.wasm')), ['/pkg/public.wasm']);
  // Back to Arabic: already in, nothing fetched again.
  await page.click('.lang-switcher a[data-lang="ar"]');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  assert.equal(fetched.filter((p) => p.endsWith('.ftl')).length, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the strings are this build\'s, cached for good under their version, and refused for an unknown language', async () => {
  const page = await context.newPage();
  await page.goto('/es');
  const href = await page.locator('link[rel=preload][href^="/locales/"]').getAttribute('href');
  const version = await page.locator('meta[name=adronx-strings]').getAttribute('content');
  assert.equal(href, `/locales/es.ftl?v=${version}`);
  const res = await page.request.get(href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['cache-control'], /immutable/);
  assert.match(await res.text(), /^site-name = Adronx/m);
  const stale = await page.request.get('/locales/es.ftl?v=old');
  assert.equal(stale.headers()['cache-control'], 'no-cache');
  assert.equal((await page.request.get('/locales/fr.ftl')).status(), 404);
  await page.close();
});
