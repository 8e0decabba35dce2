// Browser tests of the public site against the real built server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BASE_URL, newBrowser, watchErrors, waitForHydration } from '../support.mjs';

const require = createRequire(import.meta.url);
const SHOTS = new URL('../screenshots/', import.meta.url).pathname;
const PAGES = ['', '/privacy', '/terms'];
const LANGS = ['en', 'es', 'ar'];

let browser, context;
before(async () => ({ browser, context } = await newBrowser()));
after(async () => browser?.close());

test('pages are fully server-rendered and readable with JavaScript disabled', async () => {
  const noJs = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto(`/`);
  assert.match(await page.locator('h1').innerText(), /Every conversation answered/);
  for (const id of ['features', 'pricing', 'contact']) {
    assert.equal(await page.locator(`#${id}`).count(), 1, `section #${id}`);
  }
  assert.equal(await page.locator('.plan').count(), 3);
  await page.goto(`/es/privacy`);
  assert.match(await page.locator('body').innerText(), /AES-256/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await noJs.close();
});

test('the language switcher changes language in place, remembers it, and / honours it', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/privacy');
  await waitForHydration(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click('.lang-switcher a[data-lang="es"]');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(new URL(page.url()).pathname, '/es/privacy');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');
  assert.match(await page.locator('h1').innerText(), /Política de privacidad/);
  assert.equal(await page.evaluate(() => localStorage.getItem('adronx_lang')), 'es');
  const title = await page.title();
  assert.match(title, /Política de privacidad/);

  // The next visit to / (no prefix, English Accept-Language) comes back in Spanish.
  await page.goto('/');
  await page.waitForURL(/\/es$/);
  assert.match(await page.locator('h1').innerText(), /Cada conversación/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Arabic is laid out right to left', async () => {
  const page = await context.newPage();
  await page.goto('/ar');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
  // The brand sits at the right edge of the header in RTL.
  const brand = await page.locator('.brand').boundingBox();
  const width = page.viewportSize().width;
  assert.ok(brand.x > width / 2, `brand at x=${brand.x} of ${width}`);
  await page.close();
});

test('the contact form works with JavaScript', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/en');
  await waitForHydration(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.fill('#contact-name', 'Ana Pérez');
  await page.fill('#contact-email', 'ana@example.com');
  await page.fill('#contact-message', 'short');
  await page.click('#contact button[type=submit]');
  await page.waitForSelector('.form-status.err');
  assert.match(await page.locator('.form-status').innerText(), /at least 10 characters/);
  await page.fill('#contact-message', 'We would like a demo of the shared inbox.');
  await page.click('#contact button[type=submit]');
  await page.waitForSelector('.form-status.ok');
  assert.match(await page.locator('.form-status').innerText(), /Thank you/);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'submitted in place');
  assert.deepEqual(errors.filter((e) => !e.includes('422')), []);
  await page.close();
});

test('the contact form works without JavaScript', async () => {
  const noJs = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto(`/es`);
  await page.fill('#contact-name', 'Luis');
  await page.fill('#contact-email', 'luis@example.com');
  await page.fill('#contact-message', 'Hola, ¿tienen plan para agencias?');
  await page.click('#contact button[type=submit]');
  await page.waitForURL(/\/es\?sent=contact#contact$/);
  assert.match(await page.locator('.form-status').innerText(), /tu mensaje nos ha llegado/);
  await page.fill('#contact-name', 'Luis');
  await page.fill('#contact-email', 'luis@example');
  await page.fill('#contact-message', 'Hola, ¿tienen plan para agencias?');
  await page.click('#contact button[type=submit]');
  await page.waitForURL(/error=error-contact-email/);
  assert.match(await page.locator('.form-status').innerText(), /correo válida/);
  await noJs.close();
});

test('axe-core finds no serious or critical violation on any public page in any language', async () => {
  const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // bypassCSP only lets the test inject axe; the app's own CSP is checked by the API tests.
  const audit = await browser.newContext({ baseURL: BASE_URL, bypassCSP: true });
  const failures = [];
  for (const lang of LANGS) {
    for (const path of PAGES) {
      const page = await audit.newPage();
      await page.goto(`/${lang}${path}`);
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () => await window.axe.run(document));
      for (const v of result.violations.filter((v) => ['serious', 'critical'].includes(v.impact))) {
        failures.push(`/${lang}${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
      await page.close();
    }
  }
  await audit.close();
  assert.deepEqual(failures, []);
});

test('screenshots at 375 and 1280 px, with no horizontal scrolling', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const overflow = [];
  for (const width of [375, 1280]) {
    const shots = await browser.newContext({ baseURL: BASE_URL, viewport: { width, height: 900 } });
    for (const lang of LANGS) {
      for (const path of PAGES) {
        const page = await shots.newPage();
        await page.goto(`/${lang}${path}`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) overflow.push(`/${lang}${path} at ${width}px is ${scrollWidth}px wide`);
        const name = `${lang}${path.replace('/', '-') || '-home'}-${width}.png`;
        await page.screenshot({ path: `${SHOTS}${name}`, fullPage: true });
        await page.close();
      }
    }
    await shots.close();
  }
  assert.deepEqual(overflow, []);
});

test('the page can be used from the keyboard: the first Tab reaches the skip link', async () => {
  const page = await context.newPage();
  await page.goto('/en');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.closest('main') !== null);
  assert.ok(focused, 'focus moved into the main content');
  await page.close();
});
