// Browser tests of the budget optimiser with the sandbox's ad account: from the campaigns page to
// the optimiser, the rails saved (a bad amount refused first), today's split proposed, its
// explanation, and the split applied — in English at a laptop's width; then the same account's
// applied proposal in Arabic at a phone's. One sign-up for both (sign-ups are limited per client
// address, and the whole suite signs up from one).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, sharedSession, watchErrors, waitForHydration } from '../support.mjs';

const browsers = [];
after(async () => Promise.all(browsers.map((b) => b.close())));

const CASES = [
  { first: true, locale: 'en-US', width: 1280, height: 800, connect: 'Connect the sandbox ad account', title: 'Budget optimiser', bad: 'Enter an amount of money', saved: 'Saved.', rules: 'Written from the figures' },
  { first: false, locale: 'ar', width: 375, height: 740, title: 'محسّن الميزانية', bad: 'أدخل مبلغًا', saved: 'تم الحفظ.', rules: 'مكتوب من الأرقام' },
];

const session = sharedSession('optimiser@example.com', browsers);

for (const c of CASES) {
  test(`optimiser at ${c.width} px in ${c.locale}: set the rails, propose, read why${c.first ? ', apply' : ''}`, async () => {
    const { browser, state } = await session();
    const context = await browser.newContext({ baseURL: BASE_URL, locale: c.locale, storageState: state });
    const page = await context.newPage();
    await page.setViewportSize({ width: c.width, height: c.height });
    const errors = watchErrors(page);

    await page.goto('/app/campaigns');
    await waitForHydration(page);
    if (c.first) await page.click(`button:has-text("${c.connect}")`);
    await page.waitForSelector('.sync[data-state=idle]', { timeout: 30_000 });
    await page.click('[data-testid=to-optimiser]');
    await page.waitForSelector(`h1:has-text("${c.title}")`);
    await page.waitForSelector('[data-testid=budget-allowed]');

    // A bad amount is refused with its reason; the suggested rails are then saved as they are.
    const budget = await page.inputValue('#daily_budget');
    await page.fill('#daily_budget', 'mucho');
    await page.click('.budget-rails button[type=submit]');
    await page.waitForSelector(`.form-status.err:has-text("${c.bad}")`);
    await page.fill('#daily_budget', budget);
    await page.click('.budget-rails button[type=submit]');
    await page.waitForSelector(`.form-status.ok:has-text("${c.saved}")`);

    // Today's split: every active campaign, the whole budget shared, and why in words.
    await page.click('[data-testid=propose]');
    await page.waitForSelector('[data-testid=proposal] .proposal-table tbody tr');
    assert.equal(await page.locator('.proposal-table tbody tr').count(), 5);
    await page.waitForSelector(`[data-testid=explanation] [data-source=rules]:has-text("${c.rules}")`);
    const words = await page.locator('[data-testid=explanation] p').last().textContent();
    assert.ok(words.length > 80, words);
    if (c.locale === 'ar') assert.match(words, /[٠-٩]/, 'Arabic-Indic digits');

    // Applied on Meta (the sandbox's): every changed budget shows as applied, and by whom. The
    // second case finds it applied (the same inputs give back the same proposal).
    if (c.first) await page.click('[data-testid=apply]');
    await page.waitForSelector('[data-testid=proposal][data-status=applied]', { timeout: 30_000 });
    assert.ok(await page.locator('td[data-change=applied]').count() >= 2);
    assert.equal(await page.locator('td[data-change=failed]').count(), 0);
    assert.match(await page.locator('[data-testid=budget-applied]').textContent(), /Ana|Test/);

    // The proposal is kept: a reload shows it again, rendered on the server.
    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.locator('.proposal-table tbody tr').count(), 5);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), false, 'fits the window');
    // The refused amount answered 422, on purpose; nothing else went wrong.
    assert.deepEqual(errors.filter((e) => !/\b422\b/.test(e)), []);
    await page.close();
  });
}
