// The mover's walk: the inquiry form on a phone, in Danish and English,
// with errors, a language switch that keeps everything typed, children
// added and removed, the keyboard-only path, Back after sending, and the
// receipt. axe runs on every page reached.
import { PHONE, assert, axe, locale, msg, useBrowser, walk } from './lib.mjs';

useBrowser();
const da = locale('da');
const en = locale('en');
const year = new Date().getFullYear();

/** The label of a form field, without the required-marker. */
const label = (m, key) => msg(m, key).trim();

async function fillBasics(page, m, who) {
  await page.getByLabel(label(m, 'field-name')).fill(who.name);
  await page.getByLabel(label(m, 'field-email'), { exact: false }).first().fill(who.email);
  await page.getByLabel(label(m, 'field-phone')).fill('+45 12 34 56 78');
  await page.getByLabel(label(m, 'field-moving-from')).fill('Aarhus');
}

walk('the form on a phone, in Danish: page basics and axe', async ({ open }) => {
  const page = await open({ viewport: PHONE });
  const res = await page.goto('/');
  assert.equal(res.status(), 200);
  await axe(page, 'form da');
  // The municipality's name, contact and the two legal links are on the page.
  const footer = page.locator('footer');
  await assert.doesNotReject(footer.getByRole('link', { name: msg(da, 'base-privacy-link') }).waitFor());
  await assert.doesNotReject(footer.getByRole('link', { name: msg(da, 'base-accessibility-link') }).waitFor());
  const text = await page.locator('body').innerText();
  assert.match(text, /Vordingborg Kommune/);
  assert.doesNotMatch(text, /sagssystem/);
  assert.match(text, new RegExp(msg(da, 'form-required-explained').replace(/[*.?()]/g, '\\$&')));
  // Nothing scrolls sideways on the phone.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `page is ${wide}px wide`);
});

walk('an empty submit names each field, focuses the summary, and every link has a target', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  await page.getByLabel(label(da, 'field-adults')).fill('');
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.waitForLoadState('load');
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  // Focus lands on the summary (the design system's error summary).
  await page.waitForFunction(() => document.activeElement?.closest('#error-summary'));
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
  assert.ok(links.length >= 2, `summary lists name and email: ${JSON.stringify(links)}`);
  const fieldLabel = { name: 'field-name', email: 'field-email', areas: 'field-areas' };
  for (const l of links) {
    const id = l.href.replace(/^#/, '');
    assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `${l.href} exists`);
    const field = id.replace(/^field-/, '');
    if (fieldLabel[field]) assert.ok(l.text.includes(msg(da, fieldLabel[field])), `"${l.text}" names its field`);
  }
  // No two messages are the same sentence.
  assert.equal(new Set(links.map((l) => l.text)).size, links.length, 'messages differ');
  // The faulty inputs are marked.
  assert.equal(await page.locator('#field-name').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#field-email').getAttribute('aria-invalid'), 'true');
  // Following a link focuses the field.
  await summary.locator('a[href="#field-email"]').click();
  await page.waitForFunction(() => document.activeElement?.id === 'field-email');
  await axe(page, 'form with errors');
});

walk('after an error, switching language keeps the page and everything typed', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  await fillBasics(page, da, { name: 'Mette Flyt', email: 'not-an-email' });
  await page.getByLabel('English', { exact: true }).check();
  await page.locator('#field-message').fill('Vi har en hund og to heste.');
  await page.getByLabel('Præstø (4720)').check();
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.locator('#error-summary').waitFor();
  // The switch in the header.
  await page.locator('header').getByText('English', { exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), msg(en, 'inquiry-title'));
  assert.equal(await page.locator('#field-name').inputValue(), 'Mette Flyt');
  assert.equal(await page.locator('#field-email').inputValue(), 'not-an-email');
  assert.equal(await page.locator('#field-phone').inputValue(), '+45 12 34 56 78');
  assert.equal(await page.locator('#field-moving_from').inputValue(), 'Aarhus');
  assert.equal(await page.locator('#field-message').inputValue(), 'Vi har en hund og to heste.');
  assert.ok(await page.getByLabel('Præstø (4720)').isChecked());
  assert.ok(await page.locator('#language-en').isChecked());
  // The error is still shown, now in English and naming its field.
  const summary = await page.locator('#error-summary').innerText();
  assert.ok(summary.includes(msg(en, 'field-email')), summary);
  await axe(page, 'form en after switch');
  // Back to Danish, still everything there; then fix and send.
  await page.locator('header').getByText('Dansk', { exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assert.equal(await page.locator('#field-name').inputValue(), 'Mette Flyt');
  await page.locator('#field-email').fill('mette@example.dk');
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.waitForURL(/\/received\//);
  await axe(page, 'receipt');
});

walk('switching language mid-form (before any submit) keeps what was typed', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  await page.locator('#field-name').fill('Ole Ny');
  await page.locator('#field-message').fill('Hej');
  await page.locator('header').getByText('English', { exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#field-name').inputValue(), 'Ole Ny');
  assert.equal(await page.locator('#field-message').inputValue(), 'Hej');
  // No errors for a form the mover has not sent yet.
  assert.equal(await page.locator('#error-summary').count(), 0);
});

walk('without script, the header\'s language switch keeps what was typed', async ({ open }) => {
  const page = await open({ javaScript: false });
  await page.goto('/');
  await page.locator('#field-name').fill('Ole Uden Script');
  await page.locator('#field-message').fill('Vi kommer fra Odense.');
  await page.getByLabel('Stege (4780)').check();
  await page.locator('header').getByRole('button', { name: 'English', exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#field-name').inputValue(), 'Ole Uden Script');
  assert.equal(await page.locator('#field-message').inputValue(), 'Vi kommer fra Odense.');
  assert.ok(await page.getByLabel('Stege (4780)').isChecked());
  assert.equal(await page.locator('#error-summary').count(), 0, 'nothing checked, nothing stored');
  // Enter in a field still sends the form (not the switch).
  await page.locator('#field-name').press('Enter');
  await page.locator('#error-summary').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
});

walk('children: add, remove, a faulty year marked in its own box, order kept', async ({ open }) => {
  for (const javaScript of [true, false]) {
    const page = await open({ javaScript });
    await page.goto('/');
    const add = page.getByRole('button', { name: msg(da, 'inquiry-add-child') });
    await add.click();
    await page.waitForLoadState('load');
    await page.getByLabel(msg(da, 'field-child-n', { n: 1 })).fill(String(year - 3));
    await add.click();
    await page.waitForLoadState('load');
    await page.getByLabel(msg(da, 'field-child-n', { n: 2 })).fill('19x');
    await add.click();
    await page.waitForLoadState('load');
    await page.getByLabel(msg(da, 'field-child-n', { n: 3 })).fill(String(year - 9));
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 1 })).inputValue(), String(year - 3), `js=${javaScript}`);
    await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
    await page.locator('#error-summary').waitFor();
    // The second box is the faulty one, and it kept its place.
    const second = page.getByLabel(msg(da, 'field-child-n', { n: 2 }));
    assert.equal(await second.inputValue(), '19x');
    assert.equal(await second.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 1 })).getAttribute('aria-invalid'), null);
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 3 })).inputValue(), String(year - 9));
    const href = await page.locator('#error-summary a', { hasText: msg(da, 'field-child-n', { n: 2 }) }).getAttribute('href');
    assert.equal(href, `#${await second.getAttribute('id')}`);
    // Remove the faulty one: the others keep their order.
    await page.getByRole('button', { name: msg(da, 'inquiry-remove-child', { n: 2 }) }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 1 })).inputValue(), String(year - 3));
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 2 })).inputValue(), String(year - 9));
    assert.equal(await page.getByLabel(msg(da, 'field-child-n', { n: 3 })).count(), 0);
    if (javaScript) await axe(page, 'children');
  }
});

walk('the message counts its characters as the mover types', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  const count = page.locator('#message-count');
  await page.locator('#field-message').fill('x'.repeat(10));
  await page.waitForFunction(() => /3[.]?990/.test(document.querySelector('#message-count')?.textContent ?? ''));
  await page.locator('#field-message').fill('x'.repeat(4005));
  await page.waitForFunction(() => /\b5\b/.test(document.querySelector('#message-count')?.textContent ?? ''));
  assert.match(await count.innerText(), /5/);
});

walk('in English on a phone, by keyboard alone, to the receipt', async ({ open }) => {
  const page = await open();
  await page.goto('/?lang=en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await axe(page, 'form en');
  const focusId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  const tabTo = async (id, max = 80) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if ((await focusId()) === id) return;
    }
    assert.fail(`Tab never reached #${id}`);
  };
  await tabTo('field-name');
  await page.keyboard.type('Kim Keyboard');
  await page.keyboard.press('Tab');
  assert.equal(await focusId(), 'field-email');
  await page.keyboard.type('kim@example.dk');
  await tabTo('area-vordingborg');
  await page.keyboard.press('Space');
  // to the submit button and Enter
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const isSubmit = await page.evaluate(() => document.activeElement?.matches('button.button-primary[type=submit]'));
    if (isSubmit) break;
  }
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/received\//);
  const heading = await page.locator('h1').innerText();
  assert.equal(heading, msg(en, 'receipt-title'));
  // The case number stands out and the summary echoes what was sent.
  const ref = await page.locator('.case-number').innerText();
  assert.match(ref, /^VK-\d{4}-[A-Z0-9]+$/);
  const body = await page.locator('main').innerText();
  assert.ok(body.includes('Vordingborg by'), 'summary lists the chosen area');
  assert.ok(body.includes(msg(en, 'receipt-next-heading')));
  await axe(page, 'receipt en');
});

walk('Back after sending does not make a second case', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  await fillBasics(page, da, { name: 'Bo Tilbage', email: 'bo@example.dk' });
  await page.getByLabel('Stege (4780)').check();
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.waitForURL(/\/received\//);
  const first = page.url();
  await page.goBack();
  await page.waitForLoadState('load');
  // The form says this browser has already sent an inquiry.
  assert.ok((await page.locator('main').innerText()).includes(msg(da, 'inquiry-already-sent-heading')));
  if ((await page.locator('#field-name').inputValue()) === '') await fillBasics(page, da, { name: 'Bo Tilbage', email: 'bo@example.dk' });
  if (!(await page.getByLabel('Stege (4780)').isChecked())) await page.getByLabel('Stege (4780)').check();
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.waitForURL(/\/received\//);
  assert.equal(new URL(page.url()).pathname, new URL(first).pathname, 'the same receipt, not a new case');
  assert.ok((await page.locator('main').innerText()).includes(msg(da, 'receipt-again')));
  await axe(page, 'form after back');
});

walk('an expired form keeps the input and its error links to something that exists', async ({ open }) => {
  const page = await open();
  await page.goto('/');
  await page.locator('#field-name').fill('Udløbet Formular');
  await page.context().clearCookies();
  await page.getByRole('button', { name: msg(da, 'inquiry-submit') }).click();
  await page.locator('#error-summary').waitFor();
  const href = await page.locator('#error-summary a').first().getAttribute('href');
  assert.equal(await page.locator(`[id="${href.slice(1)}"]`).count(), 1, `${href} exists`);
  assert.equal(await page.locator('#field-name').inputValue(), 'Udløbet Formular');
});
