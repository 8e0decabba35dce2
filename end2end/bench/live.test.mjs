// How long a customer's message takes to show in an open inbox (issue 11's goal: ≤ 1 s, p95).
// A measurement, not a test of the suite: run it against the built site with
//   ADRONX_E2E_TESTS=end2end/bench/live.test.mjs bash scripts/e2e.sh   (ROUNDS=40 by default)
// It signs up, connects the sandbox, leaves /app/inbox open in headless Chromium, then posts
// signed deliveries to the webhook one at a time, each from a new customer, and times each from
// the moment it is posted until its text is on the page (the webhook stores it, a job files it,
// the server pushes the change over the live stream, the page fetches the list and draws it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BASE_URL, newBrowser, signUp, waitForHydration } from '../support.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 40);

function delivery(number, i, text) {
  const from = `5215599${String(i).padStart(6, '0')}`;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'live', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: number },
      contacts: [{ profile: { name: `Live ${i}` }, wa_id: from }],
      messages: [{ from, id: `wamid.LIVE${Date.now()}${i}`, timestamp: String(Math.floor(Date.now() / 1000)),
                   type: 'text', text: { body: text } }],
    } }] }],
  });
}

const percentile = (sorted, p) => sorted[Math.round((sorted.length - 1) * p)];

test(`${ROUNDS} deliveries, each timed from the webhook post to the open inbox`, async () => {
  const { browser, context } = await newBrowser({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    await signUp(page, 'live@example.com');
    await page.goto('/app/settings#whatsapp');
    await waitForHydration(page);
    await page.click('[data-testid=connect-sandbox]');
    await page.waitForSelector('[data-testid=whatsapp-connection] >> text=Sandbox');
    const number = await page.evaluate(async () =>
      (await (await fetch('/api/whatsapp/connection', { method: 'POST' })).json()).phone_number_id);
    const secrets = JSON.parse(readFileSync(`${process.env.ADRONX_E2E_DATA_DIR}/secrets.json`, 'utf8'));
    await page.goto('/app/inbox');
    await waitForHydration(page);
    // The sandbox's own customers write first; let them settle.
    await page.waitForSelector('.conversation >> text=Grace Miller', { timeout: 20_000 });

    const took = [];
    for (let i = 0; i < ROUNDS; i++) {
      const text = `Live check ${i}`;
      const body = delivery(number, i, text);
      const signature = 'sha256=' + createHmac('sha256', secrets.whatsapp_app_secret).update(body).digest('hex');
      const started = performance.now();
      const res = await fetch(`${BASE_URL}/webhooks/whatsapp`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body,
      });
      assert.equal(res.status, 200);
      await page.waitForSelector(`.conversation >> text="${text}"`, { timeout: 10_000 });
      took.push(performance.now() - started);
    }
    took.sort((a, b) => a - b);
    console.log(`webhook → open inbox over ${ROUNDS} deliveries: p50 ${percentile(took, 0.5).toFixed(0)} ms, ` +
      `p95 ${percentile(took, 0.95).toFixed(0)} ms, max ${took.at(-1).toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
});
