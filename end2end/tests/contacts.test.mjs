// Browser tests of the contacts pages and the import wizard, at a phone's width and a laptop's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newBrowser, signUp, watchErrors, waitForHydration } from '../support.mjs';

let browser, context;
before(async () => ({ browser, context } = await newBrowser({ locale: 'es-MX' })));
after(async () => browser?.close());

const FILE = [
  'Nombre,Apellidos,Celular,Correo,Etiquetas',
  'Carla,Ruiz,55 1111 2222,carla@example.com,vip',
  'Diego,Soto,+52 1 55 3333 4444,,',
  'Eva,Luna,4.91512E+11,,',
  'Carla bis,Ruiz,5215511112222,,',
].join('\n') + '\n';

/** Whether the page is wider than the window (a horizontal scroll of the whole page). */
async function overflows(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

for (const [label, width, height] of [['laptop', 1280, 800], ['phone', 375, 740]]) {
  test(`contacts at ${width} px: create, import with the wizard, search, tag, delete and undo`, async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const errors = watchErrors(page);
    page.on('pageerror', () => errors.push(`(at ${page.url()})`));
    await signUp(page, `contacts.${label}@example.com`);

    // Create one contact by hand: a national number read in the browser's country (MX).
    await page.goto('/app/contacts');
    await waitForHydration(page);
    await page.click('summary:has-text("Nuevo contacto")');
    await page.fill('#new-contact-first', 'Ana');
    await page.fill('#new-contact-last', 'Pérez');
    await page.fill('#new-contact-phone', '55 1234 5678');
    await page.click('button:has-text("Crear contacto")');
    await page.waitForSelector('.contacts-table >> text=+525512345678');
    assert.equal(await overflows(page), false, 'the list fits the window');

    // Import a file: upload, check the suggested mapping, start, watch it end.
    await page.click('text=Importar un archivo');
    await page.waitForURL(/\/app\/contacts\/import$/);
    await page.setInputFiles('#import-file', { name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) });
    await page.click('button:has-text("Subir y previsualizar")');
    await page.waitForURL(/\/app\/contacts\/import\/[0-9a-f-]+$/);
    await waitForHydration(page);
    assert.equal(await page.locator('#map-2').inputValue(), 'phone');
    assert.equal(await page.locator('#map-3').inputValue(), 'email');
    await page.fill('#import-tags', 'feria');
    await page.click('button:has-text("Empezar la importación")');
    await page.waitForSelector('text=Terminada', { timeout: 20_000 }).catch(async (e) => {
      throw new Error(`${e.message}\nthe page said: ${await page.locator('main').innerText()}`);
    });
    assert.match(await page.locator('main').innerText(), /2 creados, 0 actualizados, 0 sin cambios, 2 rechazados/);
    assert.ok(await page.locator('a:has-text("Descargar las filas rechazadas")').isVisible());
    assert.equal(await overflows(page), false, 'the wizard fits the window');

    // Search by a number written another way.
    await page.goto('/app/contacts');
    await waitForHydration(page);
    await page.fill('#contacts-q', '+52 1 (55) 3333-4444');
    await page.click('button:has-text("Buscar")');
    await page.waitForURL(/q=/);
    await page.waitForSelector('.contacts-table >> text=Diego Soto');
    assert.equal(await page.locator('.contacts-table tbody tr').count(), 1);

    // Bulk: tag the two imported contacts, then delete them and undo.
    await page.goto('/app/contacts?tag=feria');
    await waitForHydration(page);
    const rows = page.locator('.contacts-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    for (const box of await page.locator('.contacts-table tbody input[type=checkbox]').all()) await box.check();
    await page.fill('#bulk-tag', 'mayorista');
    await page.click('button:has-text("Añadir etiqueta")');
    await page.waitForSelector('.contacts-table >> text=mayorista');
    assert.equal(await page.locator('.contacts-table .tag:has-text("mayorista")').count(), 2);
    for (const box of await page.locator('.contacts-table tbody input[type=checkbox]').all()) await box.check();
    await page.click('.bulk-bar button:has-text("Eliminar")');
    await page.waitForSelector('text=Ningún contacto coincide');
    await page.click('.undo button:has-text("Deshacer")');
    await page.waitForSelector('.contacts-table >> text=Carla Ruiz');
    assert.equal(await rows.count(), 2);
    assert.equal(await overflows(page), false);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
