// Browser tests of signing up, out and in, against the real built server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PASSWORD, newBrowser, signUp, waitForEmail, watchErrors, waitForHydration } from '../support.mjs';
let browser, context;
before(async () => ({ browser, context } = await newBrowser()));
after(async () => browser?.close());

test('register, sign out and sign in again, with the access token kept only while signed in', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('adronx_lang', 'en'));
  await signUp(page, 'ana.e2e@example.com');
  await page.waitForSelector('text=Tienda Ana');
  assert.match(await page.locator('.app-user').innerText(), /Ana Pérez/);
  const stored = await page.evaluate(() => ({
    token: localStorage.getItem('adronx_access_token'),
    expires: Number(localStorage.getItem('adronx_access_expires')),
  }));
  assert.equal(stored.token.split('.').length, 3);
  const minutes = (stored.expires * 1000 - Date.now()) / 60000;
  assert.ok(minutes > 28 && minutes <= 30, `expires in ${minutes} min`);
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === 'adronx_refresh');
  assert.ok(refresh?.httpOnly, 'the refresh token is an HttpOnly cookie');
  assert.equal(await page.evaluate(() => document.cookie.includes('adronx_refresh')), false);

  // A reload renders the signed-in page on the server.
  await page.reload();
  await page.waitForSelector('.app-header');

  await page.click('text=Sign out');
  await page.waitForURL(/\/login$/);
  const after = await page.evaluate(() => ({
    token: localStorage.getItem('adronx_access_token'),
    expires: localStorage.getItem('adronx_access_expires'),
    lang: localStorage.getItem('adronx_lang'),
  }));
  assert.deepEqual(after, { token: null, expires: null, lang: 'en' }, 'only the session keys are cleared');

  await page.goto('/app/settings');
  await page.waitForURL(/\/login\?next=\/app\/settings$/);
  await waitForHydration(page);
  await page.fill('#login-email', 'ana.e2e@example.com');
  await page.fill('#login-password', 'wrong password entirely');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-status.err');
  assert.match(await page.locator('.form-status.err').innerText(), /do not match/);
  await page.fill('#login-password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/settings$/);
  await page.waitForSelector('text=Your role');
  assert.deepEqual(errors.filter((e) => !/\b(401|422)\b/.test(e)), []);
  await page.close();
});

test('signing up and in works without JavaScript', async () => {
  const noJs = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await noJs.newPage();
  await signUp(page, 'luis.e2e@example.com', { js: false });
  assert.match(await page.locator('.app-org').innerText(), /Tienda Ana/);
  await page.click('text=Sign out');
  await page.waitForURL(/\/login$/);
  await page.goto('/app');
  await page.waitForURL(/\/login\?next=\/app$/);
  await noJs.close();
});

test('forgot password: the e-mailed link sets a new password that then signs in', async () => {
  const page = await context.newPage();
  await signUp(page, 'rosa.e2e@example.com');
  await page.click('text=Sign out');
  await page.waitForURL(/\/login$/);
  await page.click('text=Forgot your password?');
  await page.waitForURL(/\/forgot-password$/);
  await waitForHydration(page);
  await page.fill('#forgot-email', 'rosa.e2e@example.com');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-status.ok');
  const mail = await waitForEmail(/To: rosa\.e2e@example\.com[\s\S]*reset-password\?token=/);
  const link = mail.match(/(http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[A-Za-z0-9_-]+)/)[1];
  await page.goto(link);
  await waitForHydration(page);
  await page.fill('#reset-password', 'my brand new passphrase');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-status.ok');
  await page.goto('/login');
  await waitForHydration(page);
  await page.fill('#login-email', 'rosa.e2e@example.com');
  await page.fill('#login-password', 'my brand new passphrase');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app$/);
  await page.close();
});

test('invite a second person, who joins in another browser, gets promoted, then removed', async () => {
  const owner = await context.newPage();
  await signUp(owner, 'owner.e2e@example.com');
  await owner.goto('/app/settings');
  await waitForHydration(owner);
  await owner.fill('#invite-email', 'bob.e2e@example.com');
  await owner.selectOption('#invite-role', 'member');
  await owner.click('#invite ~ form button[type=submit]');
  await owner.waitForSelector('li[data-email="bob.e2e@example.com"]');
  // The settings page fits a phone: wide tables scroll inside their card, not the page.
  await owner.setViewportSize({ width: 375, height: 800 });
  assert.ok(await owner.evaluate(() => document.documentElement.scrollWidth <= 375), 'no horizontal scrolling at 375 px');
  await owner.setViewportSize({ width: 1280, height: 900 });
  const mail = await waitForEmail(/To: bob\.e2e@example\.com[\s\S]*invite\?token=/);
  const link = mail.match(/(http:\/\/127\.0\.0\.1:\d+\/invite\?token=[A-Za-z0-9_-]+)/)[1];

  // Bob, in a browser of his own.
  const { browser: other, context: bobContext } = await newBrowser();
  const bob = await bobContext.newPage();
  await bob.goto(link);
  await waitForHydration(bob);
  assert.match(await bob.locator('.invite-intro').innerText(), /Tienda Ana — bob\.e2e@example\.com/);
  await bob.fill('#invite-first', 'Bob');
  await bob.fill('#invite-last', 'Builder');
  await bob.fill('#invite-password', 'bobs very own passphrase');
  await bob.click('button[type=submit]');
  await bob.waitForURL(/\/app$/);
  assert.match(await bob.locator('.app-org').innerText(), /Tienda Ana · Member/);
  await bob.goto('/app/settings');
  assert.equal(await bob.locator('#members').count(), 0, 'members do not manage members');

  // The owner promotes Bob: his next page shows the admin view.
  await owner.reload();
  await waitForHydration(owner);
  const row = owner.locator('tr[data-email="bob.e2e@example.com"]');
  await row.locator('select').selectOption('admin');
  await row.locator('text=Change role').click();
  await owner.waitForSelector('.form-status.ok');
  await bob.goto('/app/settings');
  await bob.waitForSelector('#members');

  // The owner removes Bob: his very next request is refused.
  await owner.reload();
  await waitForHydration(owner);
  await owner.locator('tr[data-email="bob.e2e@example.com"]').locator('text=Remove').click();
  await owner.waitForFunction(() => !document.querySelector('tr[data-email="bob.e2e@example.com"]'));
  await bob.goto('/app/settings');
  await bob.waitForURL(/\/login\?next=\/app\/settings$/);
  await other.close();
  await owner.close();
});
