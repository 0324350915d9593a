// Issue 11: a form sent after the session had ended is completed by
// signing in again, in a browser without script (the login answers 307 and
// the browser repeats the POST).
import { BASE, CONSULTANT, DESKTOP, assert, locale, login, msg, useBrowser, walk } from './lib.mjs';

useBrowser();
const da = locale('da');

async function newCase(fields) {
  const res = await fetch(`${BASE}/api/v1/inquiries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adults: 1, language: 'da', ...fields }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).reference;
}

walk('a note sent after the session ended is saved by signing in again, without script', async ({ open }) => {
  const ref = await newCase({ name: 'Per Pause', email: 'per@example.dk' });
  const page = await open({ viewport: DESKTOP, javaScript: false });
  await login(page, CONSULTANT);
  await page.goto(`/cases/${ref}`);
  const note = 'En lang note skrevet over lang tid — æøå, med flere linjer.\nAnden linje.';
  await page.locator('#note').fill(note);
  // Meanwhile the session ends (here: the browser loses its session cookie).
  const cookies = await page.context().cookies();
  await page.context().clearCookies({ name: cookies.find((c) => c.name.endsWith('velkomst_session')).name });
  await page.getByRole('button', { name: msg(da, 'case-save-note') }).click();
  await page.waitForURL(/\/login$/);
  assert.ok((await page.locator('main').innerText()).includes(msg(da, 'login-resume-notice')));
  await page.getByLabel(/E-mail/).fill(CONSULTANT.email);
  await page.getByLabel(/Adgangskode|Password/).fill(CONSULTANT.password);
  await page.locator('main button[type=submit]').click();
  // The browser repeats the POST (307); the note lands on the case.
  await page.waitForURL(new RegExp(`/cases/${ref}`));
  assert.ok((await page.locator('main').innerText()).includes('Anden linje.'), 'the note is on the case');
});
