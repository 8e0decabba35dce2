// Browser tests of the WhatsApp inbox with the built-in sandbox: connect it in Settings, watch
// customers' messages arrive without a reload, reply and see the ticks, assign and resolve — at a
// phone's width and a laptop's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newBrowser, signUp, watchErrors, waitForHydration } from '../support.mjs';

let browser, context;
before(async () => ({ browser, context } = await newBrowser({ locale: 'es-MX' })));
after(async () => browser?.close());

async function overflows(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

for (const [label, width, height] of [['laptop', 1280, 800], ['phone', 375, 740]]) {
  test(`inbox at ${width} px: connect the sandbox, receive, reply, ticks, assign, resolve`, async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const errors = watchErrors(page);
    await signUp(page, `inbox.${label}@example.com`);

    // The inbox starts empty and says how to connect a number.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.waitForSelector('text=Conecta un número de WhatsApp');

    // Settings: connect the sandbox; it is labelled as such.
    await page.goto('/app/settings#whatsapp');
    await waitForHydration(page);
    await page.click('[data-testid=connect-sandbox]');
    await page.waitForSelector('[data-testid=whatsapp-connection] >> text=Sandbox (simulado)');
    // A quick reply for the whole team.
    await page.fill('#quick-reply-shortcut', 'envio');
    await page.fill('#quick-reply-text', 'Enviamos a todo México en 24 a 48 horas.');
    await page.click('button:has-text("Añadir respuesta rápida")');
    await page.waitForSelector('.quick-replies >> text=/envio');
    assert.equal(await overflows(page), false, 'settings fit the window');

    // The inbox, left open: customers write first and appear without a reload.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.waitForSelector('.conversation >> text=Lucía Gómez', { timeout: 20_000 });
    await page.waitForSelector('.conversation >> text=Grace Miller', { timeout: 20_000 });
    assert.ok(await page.locator('.conversation:has-text("Lucía Gómez") >> text=Desde un anuncio').isVisible());
    assert.equal(await overflows(page), false, 'the list fits the window');

    // Open Lucía's conversation and answer her.
    await page.click('.conversation >> text=Lucía Gómez');
    await page.waitForURL(/\/app\/inbox\?c=/);
    await page.waitForSelector('.message.in >> text=¿tienen la chaqueta azul en talla M?');
    // Her photo is fetched from WhatsApp and shown in place.
    const photo = page.locator('.message.in img.media-image');
    await photo.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('img.media-image')?.naturalWidth > 0);
    if (width < 640) assert.equal(await page.locator('.inbox-list').isVisible(), false, 'one pane at a time on a phone');
    await page.fill('#reply-text', 'Sí, nos queda una en talla M.');
    await page.click('button:has-text("Enviar")');
    const ours = page.locator('.message.out:has-text("nos queda una en talla M")');
    await ours.waitFor();
    // ✓ sent → ✓✓ delivered → blue ✓✓ read, pushed by the server as they happen.
    await page.waitForSelector('.message.out[data-status=sent], .message.out[data-status=delivered], .message.out[data-status=read]');
    assert.equal(await page.locator('#reply-text').inputValue(), '', 'the box is emptied after sending');
    // A draft survives the ticks and the customer's answer arriving meanwhile.
    await page.fill('#reply-text', 'Borrador a medias');
    await page.waitForSelector('.message.out[data-status=read] .ticks-read', { timeout: 20_000 });
    await page.waitForSelector('.message.in >> text=¿Cuánto cuesta el envío a Guadalajara?', { timeout: 20_000 });
    assert.equal(await page.locator('#reply-text').inputValue(), 'Borrador a medias', 'the draft was kept');
    // "/" and the start of a shortcut offer the quick reply; picking it fills the box.
    await page.fill('#reply-text', '/env');
    await page.click('.quick-suggestions button:has-text("/envio")');
    assert.equal(await page.locator('#reply-text').inputValue(), 'Enviamos a todo México en 24 a 48 horas.');
    await page.fill('#reply-text', '');
    assert.equal(await ours.count(), 1, 'sent once');

    // Assign to me, then resolve.
    await page.click('button:has-text("Asignármela")');
    await page.waitForSelector('text=Asignada a Ana Pérez');
    await page.click('button:has-text("Resolver")');
    await page.waitForSelector('.conversation-facts >> text=Resuelta');
    assert.equal(await overflows(page), false, 'the conversation fits the window');

    // Only resolved conversations: Lucía's.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.selectOption('#inbox-status', 'resolved');
    await page.waitForURL(/status=resolved/);
    await page.waitForSelector('.conversation >> text=Lucía Gómez');
    assert.equal(await page.locator('.conversation').count(), 1);

    // Search by what was said.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.fill('#inbox-search', 'Guadalajara');
    await page.press('#inbox-search', 'Enter');
    await page.waitForURL(/q=Guadalajara/);
    await page.waitForSelector('.conversation >> text=Lucía Gómez');
    assert.equal(await page.locator('.conversation').count(), 1);

    // Grace's number cannot receive messages: the failure and Meta's reason are shown.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.click('.conversation >> text=Grace Miller');
    await page.waitForSelector('.message.in >> text=Is my order #1042 on its way?');
    await page.fill('#reply-text', 'It ships today.');
    await page.click('button:has-text("Enviar")');
    await page.waitForSelector('.message.out[data-status=failed] >> text=Message undeliverable', { timeout: 20_000 });

    // Marco wrote yesterday: free text is closed, an approved template with its values goes out.
    await page.goto('/app/inbox');
    await waitForHydration(page);
    await page.click('.conversation >> text=Marco Rossi');
    await page.waitForSelector('.window-closed');
    await page.selectOption('#template-choice', { label: 'order_update · es_MX · UTILITY' });
    await page.fill('#template-value-1', 'Marco');
    await page.fill('#template-value-2', '#1042');
    await page.waitForSelector('.template-preview >> text=Hola Marco, tu pedido #1042 ya va en camino.');
    await page.click('button:has-text("Enviar plantilla")');
    await page.waitForSelector('.message.out[data-status=read] >> text=Hola Marco, tu pedido #1042', { timeout: 20_000 });
    await page.waitForSelector('.message.in >> text=Sì, la prendo! Grazie.', { timeout: 20_000 });
    assert.equal(await overflows(page), false, 'the template form fits the window');

    assert.deepEqual(errors, []);
    await page.close();
  });
}
