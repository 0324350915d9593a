// The consultant's walk of a case on a desktop, and the ambassador's link
// on a phone. axe runs on every page reached.
import fs from 'node:fs';
import { ADMIN, BASE, CONSULTANT, DESKTOP, PHONE, assert, axe, locale, login, msg, useBrowser, waitForMail, walk } from './lib.mjs';

useBrowser();
const da = locale('da');
const en = locale('en');

async function newCase(fields) {
  const res = await fetch(`${BASE}/api/v1/inquiries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adults: 2, areas: ['vordingborg'], language: 'da', ...fields }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).reference;
}

function isoDays(n) {
  const d = new Date(Date.now() + n * 86400_000);
  return d.toISOString().slice(0, 10);
}

/** The flash message after an action: announced (role=status), names what happened. */
async function flash(page) {
  const f = page.locator('#flash');
  await f.waitFor();
  assert.equal(await f.getAttribute('role'), 'status');
  return f.innerText();
}

walk('the consultant walks a case: queue, contact, information pack, visit, move-in', async ({ open }) => {
  const ref = await newCase({ name: 'Sara Sag', email: 'sara@example.dk', children: [2019], ambassador_contact: true });
  const page = await open({ viewport: DESKTOP });
  await login(page, CONSULTANT);
  await page.goto('/cases');
  await axe(page, 'queue');
  await page.getByRole('link', { name: ref }).first().click();
  await page.waitForURL(new RegExp(`/cases/${ref}$`));
  await axe(page, 'case');

  // Staff are never sent to the public form: the header leads to the queue.
  assert.equal(await page.locator('header a.logo').getAttribute('href'), '/cases');

  await page.getByRole('button', { name: msg(da, 'case-record-contact') }).click();
  await page.waitForLoadState('load');
  assert.ok((await flash(page)).length > 0);
  await axe(page, 'case after first contact');

  await page.getByRole('button', { name: msg(da, 'case-info-pack-send') }).click();
  await page.waitForLoadState('load');
  assert.ok((await flash(page)).length > 0);

  await page.locator('#visit-date').fill(isoDays(10));
  await page.locator('#visit-time').fill('10:00');
  await page.locator('#visit-place').fill('Rådhuset');
  await page.getByRole('button', { name: msg(da, 'case-visit-send') }).click();
  await page.waitForLoadState('load');
  // The automatic stage change is announced.
  const said = await flash(page);
  assert.ok(said.includes(msg(da, 'stage-visit')), said);
  await axe(page, 'case with visit');

  // A refused action, then the language switch: same page, typed note kept.
  await page.locator('#move-note').fill('En note jeg ikke vil miste');
  await page.getByRole('button', { name: msg(da, 'case-save-move'), exact: true }).click();
  await page.waitForLoadState('load');
  await page.locator('#problem').waitFor();
  await page.locator('header').getByText('English', { exact: true }).click();
  await page.waitForLoadState('load');
  // The case page again (the switch posts the refused form to /cases/R/again).
  assert.ok(new URL(page.url()).pathname.startsWith(`/cases/${ref}`), page.url());
  assert.equal(await page.locator('h1 .case-reference').innerText(), ref);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#move-note').inputValue(), 'En note jeg ikke vil miste');
  await axe(page, 'case in English');
  await page.locator('header').getByText('Dansk', { exact: true }).click();
  await page.waitForLoadState('load');

  // The outcome belongs to closing only, with nothing preselected.
  assert.equal(await page.locator('#outcome').inputValue(), '');
  assert.equal(await page.locator('#outcome').isVisible(), false);
  await page.locator('#mv-close').check();
  assert.equal(await page.locator('#outcome').isVisible(), true);
  await page.locator('#mv-close').uncheck().catch(() => {});

  // Cancelling the visit asks first (a page, no script needed); "No" keeps it.
  await page.getByRole('link', { name: msg(da, 'case-visit-cancel') }).click();
  await page.waitForURL(/\/visit\/cancel$/);
  await axe(page, 'confirm cancel visit');
  assert.ok((await page.locator('main').innerText()).includes(msg(da, 'confirm-cancel-visit-question')));
  await page.getByRole('link', { name: msg(da, 'confirm-no') }).click();
  await page.waitForURL(new RegExp(`/cases/${ref}#visit$`));
  assert.equal(await page.getByRole('link', { name: msg(da, 'case-visit-cancel') }).count(), 1, 'the visit is still planned');

  // The move-in area is chosen, never assumed; dates read dd.mm.yyyy.
  const moveIn = isoDays(30);
  await page.locator('#move-in-date').fill(moveIn);
  assert.equal(await page.locator('#move-in-area').inputValue(), '');
  await page.getByRole('button', { name: msg(da, 'case-move-in-save') }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('#move-in-area').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#move-in-date').inputValue(), moveIn, 'the date typed is kept');
  await page.locator('#move-in-area').selectOption('vordingborg');
  await page.getByRole('button', { name: msg(da, 'case-move-in-save') }).click();
  await page.waitForLoadState('load');
  assert.ok((await flash(page)).includes(msg(da, 'stage-move_in')));
  const [y, m, d] = moveIn.split('-');
  const body = await page.locator('main').innerText();
  assert.ok(body.includes(`${d}.${m}.${y}`), 'move-in date shown dd.mm.yyyy');
  assert.ok(!body.includes(moveIn), 'no ISO date on the page');
  await axe(page, 'case after move-in');

  // Printing shows the case and its timeline, not the navigation or forms.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.navigation-menu').isVisible(), false);
  assert.equal(await page.locator('#note').isVisible(), false);
  assert.equal(await page.locator('#timeline').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
});

walk('a second case with the same email is flagged as a possible duplicate', async ({ open }) => {
  const email = `twice-${Date.now()}@example.dk`;
  const first = await newCase({ name: 'To Gange', email });
  const second = await newCase({ name: 'To Gange', email });
  const page = await open({ viewport: DESKTOP });
  await login(page, CONSULTANT);
  await page.goto(`/cases/${second}`);
  const hint = page.locator('#same-email');
  await hint.waitFor();
  assert.ok((await hint.innerText()).includes(first));
  await axe(page, 'case with duplicate hint');
  // The timeline: newest first, filtered between people, emails and automatic steps.
  const all = await page.locator('.timeline-event').count();
  await page.locator('.timeline-filter').getByRole('link', { name: new RegExp(msg(da, 'case-timeline-system')) }).click();
  await page.waitForURL(/timeline=system/);
  const system = await page.locator('.timeline-event').count();
  assert.ok(system >= 1 && system < all, `${system} automatic of ${all}`);
  assert.equal(await page.locator('.timeline-filter a[aria-current="page"]').getAttribute('href'), `/cases/${second}?timeline=system#timeline`);
  await axe(page, 'timeline filtered');
  // The queue marks the tab in use.
  await page.goto('/cases?stage=information');
  assert.equal(await page.locator('.stage-counts a[aria-current="page"]').getAttribute('href'), '/cases?stage=information');
});

walk('the ambassador opens the link on a phone, signs in and accepts', async ({ open }) => {
  const ref = await newCase({ name: 'Anna Ambassadørsag', email: 'anna@example.dk', ambassador_contact: true });
  const staff = await open({ viewport: DESKTOP });
  await login(staff, CONSULTANT);
  await staff.goto('/ambassadors/new');
  await axe(staff, 'new ambassador');
  const ambEmail = `amb-${Date.now()}@example.dk`;
  await staff.locator('#field-name').fill('Per Ambassadør');
  await staff.locator('#field-email').fill(ambEmail);
  await staff.locator('#field-organisation').fill('Vordingborg Lokalråd');
  await staff.locator('#area-vordingborg').check();
  await staff.getByRole('button', { name: msg(da, 'admin-save') }).click();
  await staff.waitForLoadState('load');
  await staff.goto(`/cases/${ref}`);
  await staff.getByRole('button', { name: msg(da, 'ref-send') }).click();
  await staff.waitForLoadState('load');
  await axe(staff, 'case after referral');

  const mail = await waitForMail(new RegExp(ambEmail.replace(/[.]/g, '\\.')));
  const link = /https?:\/\/[^\s"<>]+\/signin\/[A-Za-z0-9_-]+/.exec(mail)?.[0];
  assert.ok(link, 'the mail carries a sign-in link');

  const phone = await open({ viewport: PHONE });
  await phone.goto(link);
  await axe(phone, 'ambassador sign-in');
  await phone.getByRole('button', { name: msg(da, 'login-submit') }).click();
  await phone.waitForURL(/\/ambassador\/referrals\//);
  await axe(phone, 'referral offered');
  assert.equal(await phone.locator('header a.logo').getAttribute('href'), '/ambassador');
  await phone.getByRole('button', { name: msg(da, 'ref-accept') }).click();
  await phone.waitForLoadState('load');
  await axe(phone, 'referral accepted');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `page is ${wide}px wide`);

  // Deactivating asks first; a deactivated ambassador can be reactivated.
  await staff.goto('/ambassadors');
  const row = staff.locator('tr', { hasText: 'Per Ambassadør' });
  await row.getByRole('link', { name: new RegExp(msg(da, 'admin-deactivate')) }).click();
  await staff.waitForURL(/\/deactivate$/);
  await axe(staff, 'confirm deactivate');
  await staff.getByRole('button', { name: msg(da, 'admin-deactivate') }).click();
  await staff.waitForURL(/\/ambassadors$/);
  await staff.locator('tr', { hasText: 'Per Ambassadør' }).getByRole('button', { name: new RegExp(msg(da, 'amb-reactivate')) }).click();
  await staff.waitForURL(/\/ambassadors$/);
  assert.equal(await staff.locator('tr', { hasText: 'Per Ambassadør' }).getByRole('link', { name: new RegExp(msg(da, 'admin-deactivate')) }).count(), 1);
  await axe(staff, 'ambassadors after reactivation');

  // The used link says so and how to get a new one; the page knows who is signed in.
  const again = await phone.goto(link);
  assert.equal(again.status(), 404);
  const text = await phone.locator('main').innerText();
  assert.ok(text.includes(msg(da, 'link-used-heading')), text);
  assert.ok(text.includes(msg(da, 'link-used-ambassador')), text);
  await axe(phone, 'used link');
});

walk('error pages: the municipality, who is logged in, and a way back that fits', async ({ open }) => {
  const page = await open({ viewport: PHONE });
  const res = await page.goto('/no/such/page');
  assert.equal(res.status(), 404);
  let text = await page.locator('body').innerText();
  assert.match(text, /Vordingborg Kommune/);
  assert.doesNotMatch(text, /— bosætning|s sagssystem/);
  assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a mover is sent to the form');
  await axe(page, '404 public');

  await login(page, CONSULTANT);
  const res2 = await page.goto('/no/such/page?lang=en');
  assert.equal(res2.status(), 404);
  text = await page.locator('body').innerText();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(text.includes('Karin Konsulent'), 'the page knows who is logged in');
  assert.equal(await page.locator('main a[href="/"]').count(), 0, 'staff are not sent to the public form');
  assert.equal(await page.locator('main a[href="/cases"]').count(), 1);
  assert.ok(text.includes(msg(en, 'error-page-not-found')));
  await axe(page, '404 staff');

  const res3 = await page.goto('/admin/users');
  assert.equal(res3.status(), 403);
  await axe(page, '403 staff');
});

walk('GET /inquiry (an old link) leads to the form, not a 404', async ({ open }) => {
  const page = await open();
  const res = await page.goto('/inquiry?lang=en');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(fs.existsSync('locales/en/app.ftl'));
});

walk('the admin pages pass axe, and the outbox opens on a tab with emails', async ({ open }) => {
  await newCase({ name: 'Post Kasse', email: `outbox-${Date.now()}@example.dk` });
  const page = await open({ viewport: DESKTOP });
  await login(page, ADMIN);
  for (const path of ['/admin/users', '/admin/areas', '/admin/packages', '/admin/templates', '/ambassadors',
    '/admin/campaigns', '/reports', '/reports?lang=en']) {
    const res = await page.goto(path);
    assert.equal(res.status(), 200, path);
    await axe(page, path);
  }
  await page.goto('/admin/outbox');
  const current = page.locator('.stage-counts a[aria-current="page"]');
  assert.equal(await current.count(), 1);
  assert.doesNotMatch(await current.innerText(), /: 0$/, 'not an empty tab');
  assert.equal(await page.locator('main').getByText(msg(da, 'outbox-empty')).count(), 0);
  await axe(page, 'outbox');
});

walk('a cancelled visit: the consultant chooses the stage, and the change is announced', async ({ open }) => {
  const ref = await newCase({ name: 'Bent Besøg', email: `visit-${Date.now()}@example.dk` });
  const page = await open({ viewport: DESKTOP });
  await login(page, CONSULTANT);
  await page.goto(`/cases/${ref}`);
  await page.locator('#visit-date').fill(isoDays(12));
  await page.locator('#visit-time').fill('13:00');
  await page.locator('#visit-place').fill('Stege Bibliotek');
  await page.getByRole('button', { name: msg(da, 'case-visit-send') }).click();
  await page.waitForLoadState('load');
  await page.getByRole('link', { name: msg(da, 'case-visit-cancel') }).click();
  await page.waitForURL(/\/visit\/cancel$/);
  // Nothing chosen for the consultant; not choosing is refused at the field.
  assert.equal(await page.locator('input[name="after"]:checked').count(), 0);
  await page.locator('#cancel-note').fill('Familien er syg');
  await page.getByRole('button', { name: msg(da, 'case-visit-cancel') }).click();
  await page.locator('#error-summary').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
  assert.ok((await page.locator('#error-summary').innerText()).includes(msg(da, 'cancel-visit-choose-stage')));
  assert.equal(await page.locator('#cancel-note').inputValue(), 'Familien er syg', 'the note is kept');
  await axe(page, 'cancel visit refused');
  await page.getByLabel(msg(da, 'cancel-visit-back')).check();
  await page.getByRole('button', { name: msg(da, 'case-visit-cancel') }).click();
  await page.waitForURL(new RegExp(`/cases/${ref}`));
  const said = await flash(page);
  assert.ok(said.includes(msg(da, 'stage-information')), said);
  await axe(page, 'case after the visit was cancelled');
});

walk('without script, the language switch after a refused action keeps what was typed', async ({ open }) => {
  const ref = await newCase({ name: 'Nora Noscript', email: `nojs-${Date.now()}@example.dk` });
  const page = await open({ viewport: DESKTOP, javaScript: false });
  await login(page, CONSULTANT);
  await page.goto(`/cases/${ref}`);
  await page.locator('#visit-date').fill('2020-01-01');
  await page.locator('#visit-time').fill('10:00');
  await page.locator('#visit-place').fill('Torvet 1');
  await page.locator('#visit-note').fill('Tag gummistøvler med');
  await page.getByRole('button', { name: msg(da, 'case-visit-send') }).click();
  await page.waitForLoadState('load');
  await page.locator('#problem').waitFor();
  await page.locator('header').getByRole('button', { name: 'English', exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#visit-place').inputValue(), 'Torvet 1');
  assert.equal(await page.locator('#visit-note').inputValue(), 'Tag gummistøvler med');
  assert.equal(await page.locator('#visit-date').inputValue(), '2020-01-01');
  // And back, still there.
  await page.locator('header').getByRole('button', { name: 'Dansk', exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assert.equal(await page.locator('#visit-place').inputValue(), 'Torvet 1');
});

walk('the email previews show the email as the mover sees it, in their language', async ({ open }) => {
  const ref = await newCase({ name: 'Emma English', email: `preview-${Date.now()}@example.com`, language: 'en' });
  const page = await open({ viewport: DESKTOP });
  await login(page, CONSULTANT);
  await page.goto(`/cases/${ref}`);
  // Beside each emailed text: the mover reads English.
  assert.ok((await page.locator('#pack-note-lang').innerText()).includes(msg(da, 'mover-reads-en')));
  // The information pack, previewed on the case page before it is sent.
  await page.locator('#pack-note').fill('We look forward to meeting you.');
  await page.getByRole('button', { name: msg(da, 'case-preview-button') }).first().click();
  await page.waitForLoadState('load');
  const pack = page.locator('.email-preview-html').first();
  await pack.waitFor();
  assert.equal(await pack.getAttribute('lang'), 'en');
  assert.ok((await pack.innerText()).includes('We look forward to meeting you.'));
  assert.equal(await page.locator('#pack-note').inputValue(), 'We look forward to meeting you.', 'kept for sending');
  await axe(page, 'case with the information pack previewed');
  await page.goto(`/cases/${ref}/email`);
  await page.locator('#field-subject').fill('Houses for sale');
  await page.locator('#field-body').fill('Dear Emma\n\nTwo houses are for sale in Stege.');
  await page.getByRole('button', { name: msg(da, 'compose-preview-button') }).click();
  await page.waitForLoadState('load');
  const preview = page.locator('.email-preview-html');
  await preview.waitFor();
  assert.equal(await preview.getAttribute('lang'), 'en');
  const text = await preview.innerText();
  assert.ok(text.includes('Two houses are for sale in Stege.') && text.includes('Case number'), text);
  assert.ok(text.includes('Vordingborg Municipality'), text);
  await axe(page, 'compose with preview');
});

walk('an admin hands a leaving consultant\'s cases on, and a stand-in covers an absence', async ({ open }) => {
  const page = await open({ viewport: DESKTOP });
  await login(page, ADMIN);
  // The areas page is in the menu.
  assert.equal(await page.locator('nav a[href="/admin/areas"]').count(), 1);
  const name = `Vera Vikar ${Date.now() % 100000}`;
  await page.goto('/admin/users');
  await page.locator('#field-name').fill(name);
  await page.locator('#field-email').fill(`vera-${Date.now()}@kommune.test`);
  await page.locator('#role').selectOption('consultant');
  await page.getByRole('button', { name: msg(da, 'admin-add-user') }).click();
  await page.waitForLoadState('load');
  // A case for Vera.
  const ref = await newCase({ name: 'Sofie Skift', email: `handover-${Date.now()}@example.dk` });
  await page.goto(`/cases/${ref}`);
  await page.locator('#assignee').selectOption({ label: name });
  await page.getByRole('button', { name: msg(da, 'case-assign') }).click();
  await page.waitForLoadState('load');

  // Away: Karin stands in.
  await page.goto('/admin/users');
  const row = () => page.locator('tr', { hasText: name });
  await row().getByRole('link', { name: new RegExp(msg(da, 'admin-away-link')) }).click();
  await page.waitForURL(/\/away$/);
  await axe(page, 'absence');
  await page.getByRole('button', { name: msg(da, 'away-start') }).click();
  await page.locator('#error-summary').waitFor();
  await axe(page, 'absence refused');
  const karin = await page.locator('#substitute option', { hasText: 'Karin Konsulent' }).getAttribute('value');
  await page.locator('#substitute').selectOption(karin);
  await page.getByRole('button', { name: msg(da, 'away-start') }).click();
  await page.waitForURL(/\/admin\/users\?done=away/);
  assert.ok((await page.locator('#flash').innerText()).length > 0);
  await axe(page, 'users with an absence');
  await page.goto(`/cases/${ref}`);
  assert.ok((await page.locator('#timeline').evaluate((h) => h.parentElement.innerText)).includes(msg(da, 'event-because-away')));

  // Back.
  await page.goto('/admin/users');
  await row().getByRole('link', { name: new RegExp(msg(da, 'admin-away-end-link')) }).click();
  await page.waitForURL(/\/away$/);
  await axe(page, 'absence to end');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(/\/admin\/users\?done=back/);

  // Deactivating asks where the open case goes.
  await row().getByRole('link', { name: new RegExp(msg(da, 'admin-deactivate')) }).click();
  await page.waitForURL(/\/deactivate$/);
  await axe(page, 'confirm deactivate user');
  await page.getByRole('button', { name: msg(da, 'admin-deactivate') }).click();
  await page.locator('#error-summary').waitFor();
  assert.ok((await page.locator('#error-summary').innerText()).includes(msg(da, 'staffing-refusal-choose-hand-to')));
  await axe(page, 'deactivate refused');
  await page.locator('#hand-to').selectOption('unassigned');
  await page.getByRole('button', { name: msg(da, 'admin-deactivate') }).click();
  await page.waitForURL(/\/admin\/users\?done=deactivated/);
  await page.goto(`/cases/${ref}`);
  assert.ok((await page.locator('#timeline').evaluate((h) => h.parentElement.innerText)).includes(msg(da, 'event-because-deactivated')));
});
