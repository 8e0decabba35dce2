// Browser tests of the campaigns dashboard with the sandbox's ad account: connecting it, the sync's
// progress, the period, the charts and a campaign's page — in English and Arabic, at a phone's
// width and a laptop's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, sharedSession, watchErrors, waitForHydration } from '../support.mjs';

const browsers = [];
after(async () => Promise.all(browsers.map((b) => b.close())));

async function overflows(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

const CASES = [
  { label: 'en-laptop', locale: 'en-US', width: 1280, height: 800, connect: 'Connect the sandbox ad account', week: 'Last 7 days', sets: 'Ad sets and ads', dir: 'ltr' },
  { label: 'ar-phone', locale: 'ar', width: 375, height: 740, connect: 'ربط حساب الاختبار', week: 'آخر 7 أيام', sets: 'المجموعات الإعلانية والإعلانات', dir: 'rtl' },
];

/** Charts on the page whose image has loaded (every one of them, once it has). */
async function drawn(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.chart-box img')].every((i) => i.complete && i.naturalWidth > 0));
  return page.locator('.chart-box img[alt]').count();
}

const session = sharedSession('campaigns@example.com', browsers);

for (const [index, c] of CASES.entries()) {
  test(`campaigns at ${c.width} px in ${c.locale}: ${index === 0 ? 'connect the sandbox, watch it sync, ' : ''}change the period, open a campaign`, async () => {
    // The session is used from a browser in the case's language.
    const { browser, state } = await session();
    const context = await browser.newContext({ baseURL: BASE_URL, locale: c.locale, storageState: state });
    const page = await context.newPage();
    await page.setViewportSize({ width: c.width, height: c.height });
    const errors = watchErrors(page);

    await page.goto('/app/campaigns');
    await waitForHydration(page);
    assert.equal(await page.getAttribute('html', 'dir'), c.dir);
    // The first case connects; the second finds the account connected and synced.
    if (index === 0) await page.click(`button:has-text("${c.connect}")`);
    // The sync runs in the background; the page follows it and shows the figures when it ends.
    await page.waitForSelector('.campaigns-table tbody tr', { timeout: 30_000 });
    await page.waitForSelector('.sync[data-state=idle]');
    assert.equal(await page.locator('.campaigns-table tbody tr').count(), 6);
    assert.equal(await page.locator('.kpi').count(), 8);
    // Each chart is an image the browser fetched at this screen's size, described by its alt text.
    assert.equal(await drawn(page), 3);
    const chart = await page.locator('[data-chart="spend-revenue"] img').evaluate((img) => ({ alt: img.alt, width: img.naturalWidth }));
    assert.equal(chart.width, c.width < 700 ? 360 : 1200);
    assert.match(chart.alt, c.locale === 'ar' ? /الإنفاق/ : /Daily spend and revenue\. .+ – .+/);
    const spend28 = await page.locator('.kpi').first().locator('.kpi-value').textContent();
    if (c.locale === 'ar') assert.match(spend28, /[٠-٩]/, 'Arabic-Indic digits');

    // A shorter period: the URL carries it and the figures change.
    await page.selectOption('#ads-range', '7');
    await page.click('.period button[type=submit]');
    await page.waitForURL(/range=7/);
    await page.waitForFunction((before) => document.querySelector('.kpi .kpi-value')?.textContent !== before, spend28);
    assert.equal(await page.locator('#ads-range option:checked').textContent(), c.week);

    // A campaign's page: its ad set, ad and creative.
    await page.locator('.campaigns-table tbody tr a').first().click();
    await page.waitForSelector(`h2:has-text("${c.sets}")`);
    await page.waitForSelector('.ad strong');
    assert.equal(await overflows(page), false, 'the campaign page fits the window');
    await page.goto('/app/campaigns');
    await page.waitForSelector('.campaigns-table');
    assert.equal(await overflows(page), false, 'the dashboard fits the window');

    // The messaging side, from the navigation.
    await page.click('.app-nav a[href="/app/analytics"]');
    await page.waitForSelector('[data-testid=analytics] .kpi');
    assert.equal(await page.locator('[data-testid=analytics] .kpi').count(), 10);
    assert.equal(await drawn(page), 1);
    assert.equal(await overflows(page), false, 'the analytics page fits the window');
    assert.deepEqual(errors, []);
    await page.close();
  });
}
