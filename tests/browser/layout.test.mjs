// Layout defects axe cannot see (issue 12): buttons apart from the fields
// above them, the queue's filter button on one line, alerts without an
// empty icon gap, the current queue/outbox tab marked visually, and the
// scrollable template preview reachable by keyboard. Measured in the
// browser (bounding boxes and computed styles).
import { ADMIN, BASE, CONSULTANT, DESKTOP, PHONE, assert, axe, login, useBrowser, walk } from './lib.mjs';

useBrowser();

async function newCase(fields) {
  const res = await fetch(`${BASE}/api/v1/inquiries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adults: 2, areas: ['vordingborg'], language: 'da', ...fields }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).reference;
}

/**
 * For every visible submit button in `scope` (a CSS selector) that has a
 * visible field before it in its form: the distance to the nearest such
 * field, vertically when one is above the other, horizontally when they
 * share a row. Returns [{button, field, gap}].
 */
async function buttonGaps(page, scope = 'main') {
  return page.evaluate((scope) => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const out = [];
    for (const root of document.querySelectorAll(scope)) {
      for (const button of root.querySelectorAll('form button, form input[type=submit]')) {
        if (!visible(button) || button.closest('.visually-hidden, [hidden]')) continue;
        const form = button.closest('form');
        const fields = [...form.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(
          (f) => visible(f) && f.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING,
        );
        const b = button.getBoundingClientRect();
        let best = null;
        for (const f of fields) {
          const r = f.getBoundingClientRect();
          const sameRow = r.bottom > b.top && r.top < b.bottom;
          const gap = sameRow ? Math.max(b.left - r.right, r.left - b.right) : b.top - r.bottom;
          if (!sameRow && gap < 0) continue; // the field is below the button
          if (best === null || gap < best.gap) best = { gap, field: f.id || f.name };
        }
        if (best) out.push({ button: (button.innerText || button.value).trim(), ...best });
      }
    }
    return out;
  }, scope);
}

function assertGaps(gaps, where, min = 8) {
  assert.ok(gaps.length > 0, `${where}: some button follows a field`);
  const close = gaps.filter((g) => g.gap < min);
  assert.deepEqual(close, [], `${where}: buttons closer than ${min}px to the field before them`);
}

/** The text of alerts whose text starts far from the alert's edge (an empty icon gap). */
async function alertGaps(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.alert')]
      .filter((a) => !a.querySelector('.alert-icon'))
      .map((a) => {
        const text = a.querySelector('.alert-body') ?? a;
        const gap = text.getBoundingClientRect().left - a.getBoundingClientRect().left;
        return { text: a.innerText.trim().slice(0, 40), gap };
      })
      .filter((a) => a.gap > 32),
  );
}

/** Computed styles that tell the current tab from the others. */
async function tabLooks(page) {
  return page.evaluate(() => {
    const look = (a) => {
      const s = getComputedStyle(a);
      return [s.fontWeight, s.textDecorationLine, s.borderBottomWidth, s.borderBottomStyle, s.color, s.backgroundColor].join('|');
    };
    const links = [...document.querySelectorAll('.stage-counts a')];
    const current = links.filter((a) => a.getAttribute('aria-current') === 'page');
    return { current: current.map(look), others: links.filter((a) => !current.includes(a)).map(look) };
  });
}

function assertCurrentMarked(looks, where) {
  assert.equal(looks.current.length, 1, `${where}: one tab has aria-current`);
  assert.ok(looks.others.length > 0, `${where}: other tabs`);
  for (const o of looks.others) assert.notEqual(o, looks.current[0], `${where}: the current tab looks different`);
}

walk('buttons keep their distance from the fields above them: login, case, compose', async ({ open }) => {
  const ref = await newCase({ name: 'Lis Layout', email: `layout-${Date.now()}@example.dk` });
  for (const viewport of [PHONE, DESKTOP]) {
    const page = await open({ viewport });
    await page.goto('/login');
    assertGaps(await buttonGaps(page), `/login ${viewport.width}`);

    // A refused sign-in: the error alert has no empty icon gap.
    await page.getByLabel(/E-mail/).fill('nobody@browser.test');
    await page.getByLabel(/Adgangskode|Password/).fill('wrong-wrong-wrong');
    await page.locator('main button[type=submit]').click();
    await page.locator('main .alert').first().waitFor();
    assert.deepEqual(await alertGaps(page), [], 'alerts without an icon gap on /login');
    assertGaps(await buttonGaps(page), `/login after an error ${viewport.width}`);

    await login(page, CONSULTANT);
    await page.goto(`/cases/${ref}`);
    assertGaps(await buttonGaps(page), `/cases/${ref} ${viewport.width}`);
    await page.goto(`/cases/${ref}/email`);
    assertGaps(await buttonGaps(page), `/cases/${ref}/email ${viewport.width}`);
  }
});

walk('the queue: the filter button on one line in English, the current tab marked', async ({ open }) => {
  await newCase({ name: 'Kø Fane', email: `queue-${Date.now()}@example.dk` });
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await open({ viewport, locale: 'en-GB' });
    await login(page, CONSULTANT);
    await page.goto('/cases?lang=en');
    const button = page.locator('form.queue-filters button[type=submit]');
    const box = await button.evaluate((b) => {
      const s = getComputedStyle(b);
      const px = (v) => parseFloat(v) || 0;
      const inner = b.clientHeight - px(s.paddingTop) - px(s.paddingBottom);
      const line = s.lineHeight === 'normal' ? px(s.fontSize) * 1.2 : px(s.lineHeight);
      return { inner, line, text: b.innerText, overflow: b.scrollWidth - b.clientWidth };
    });
    assert.ok(box.inner < box.line * 1.5, `"${box.text}" at ${viewport.width}px is one line: ${JSON.stringify(box)}`);
    assert.ok(box.overflow <= 1, `"${box.text}" at ${viewport.width}px fits its button: ${JSON.stringify(box)}`);
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(pageOverflow <= 0, `the queue does not scroll sideways at ${viewport.width}px`);
    assertGaps(await buttonGaps(page, 'form.queue-filters'), `queue filters ${viewport.width}`);

    assertCurrentMarked(await tabLooks(page), `/cases ${viewport.width}`);
    await page.goto('/cases?stage=information&lang=en');
    assertCurrentMarked(await tabLooks(page), `/cases?stage=information ${viewport.width}`);
    assert.deepEqual(await alertGaps(page), [], 'alerts without an icon gap on the queue');
  }
});

walk('the outbox marks its current tab; the template preview scrolls by keyboard and passes axe', async ({ open }) => {
  await newCase({ name: 'Ud Bakke', email: `outbox-layout-${Date.now()}@example.dk` });
  const page = await open({ viewport: DESKTOP });
  await login(page, ADMIN);
  await page.goto('/admin/outbox');
  assertCurrentMarked(await tabLooks(page), '/admin/outbox');

  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await page.goto('/admin/templates');
    const pres = page.locator('main pre.email-preview-text');
    assert.ok((await pres.count()) > 0, 'the template preview shows the email');
    for (const pre of await pres.all()) {
      const scrolls = await pre.evaluate((p) => p.scrollWidth > p.clientWidth || p.scrollHeight > p.clientHeight);
      if (scrolls) assert.equal(await pre.getAttribute('tabindex'), '0', 'a scrolling preview is focusable');
    }
    // Reachable by Tab, not only focusable by script.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.matches('pre.email-preview-text') ?? false);
    }
    assert.ok(reached, `Tab reaches the preview at ${viewport.width}px`);
    await axe(page, `template preview ${viewport.width}`);
  }
});
