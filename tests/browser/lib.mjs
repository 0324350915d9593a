// Shared helpers of the browser walks: one headless Debian chromium per test
// file, axe on every page reached, screenshots of failures, the locale
// files (so tests check the words people see), and the mail folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const BASE = process.env.VELKOMST_BASE_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = process.env.VELKOMST_ARTIFACTS ?? 'target/browser-artifacts';
export const MAIL_DIR = process.env.VELKOMST_MAIL_DIR ?? 'data/mail';
export const ADMIN = { email: process.env.VELKOMST_ADMIN_EMAIL, password: process.env.VELKOMST_ADMIN_PASSWORD };
export const CONSULTANT = {
  email: process.env.VELKOMST_CONSULTANT_EMAIL,
  password: process.env.VELKOMST_CONSULTANT_PASSWORD,
};
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

// Chromium on a closed network: no first-run, sync, component updates or
// QUIC probes, which otherwise stall or fail. playwright gives every launch
// a fresh user-data-dir.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

let browser;
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.VELKOMST_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ARGS,
    });
  });
  after(async () => {
    await browser?.close();
  });
}

/** A fresh context (no cookies) with the given viewport and language. */
export async function newPage({ viewport = PHONE, locale = 'da-DK', javaScript = true } = {}) {
  const context = await browser.newContext({ viewport, locale, javaScriptEnabled: javaScript, baseURL: BASE });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A refused form answers 4xx on purpose; Chrome logs that as a console error.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.problems = problems;
  return page;
}

const pages = new Set();
/**
 * axe with WCAG 2.0/2.1 A and AA on the page as it is now: 0 violations.
 * Also no script errors (CSP refusals show up as console errors).
 */
export async function axe(page, label = '') {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const where = `${label || ''} ${page.url()}`.trim();
  pages.add(new URL(page.url()).pathname);
  const lines = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
  assert.deepEqual(lines, [], `axe violations on ${where}`);
  assert.deepEqual(page.problems ?? [], [], `script problems on ${where}`);
}

export function pagesChecked() {
  return [...pages];
}

/** A test whose failure leaves a screenshot and the page's HTML behind. */
export function walk(name, fn, options = {}) {
  test(name, options, async (t) => {
    const opened = [];
    const open = async (o) => {
      const p = await newPage(o);
      opened.push(p);
      return p;
    };
    try {
      await fn({ t, open });
    } catch (e) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      for (const [i, p] of opened.entries()) {
        try {
          await p.screenshot({ path: path.join(ARTIFACTS, `${slug}-${i}.png`), fullPage: true });
          fs.writeFileSync(path.join(ARTIFACTS, `${slug}-${i}.html`), await p.content());
        } catch {
          // the page may be gone; the assertion message still tells
        }
      }
      throw e;
    } finally {
      for (const p of opened) await p.context().close().catch(() => {});
    }
  });
}

/** Messages of one locale file set, parsed simply (key = value lines). */
export function locale(lang) {
  const out = {};
  const dir = path.join('locales', lang);
  for (const f of fs.readdirSync(dir)) {
    let key = null;
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const m = /^([a-z][a-z0-9_-]*)\s*=\s?(.*)$/.exec(line);
      if (m) {
        key = m[1];
        out[key] = m[2];
      } else if (key && /^\s+\S/.test(line) && !line.trim().startsWith('#')) {
        out[key] += `\n${line.trim()}`;
      } else {
        key = null;
      }
    }
  }
  return out;
}

/** A message with its { $var } placeables filled in. */
export function msg(messages, key, vars = {}) {
  const text = messages[key];
  assert.ok(text !== undefined, `locale key ${key} exists`);
  return text.replace(/\{\s*\$([a-z_]+)\s*\}/g, (_, v) => String(vars[v] ?? ''));
}

export async function login(page, who) {
  await page.goto('/login');
  await page.getByLabel(/E-mail/).fill(who.email);
  await page.getByLabel(/Adgangskode|Password/).fill(who.password);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The newest mail file (.eml) whose text matches `re`, decoded. */
export async function waitForMail(re, timeoutMs = 15_000) {
  const start = Date.now();
  for (;;) {
    if (fs.existsSync(MAIL_DIR)) {
      const files = fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml'));
      for (const f of files.sort().reverse()) {
        const text = decodeMail(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8'));
        if (re.test(text)) return text;
      }
    }
    if (Date.now() - start > timeoutMs) throw new Error(`no mail matching ${re} in ${MAIL_DIR}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function decodeMail(raw) {
  // quoted-printable soft breaks and escapes; base64 parts decoded too
  let text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const b64 = raw.match(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g) ?? [];
  for (const chunk of b64) {
    try {
      text += `\n${Buffer.from(chunk.replace(/\s/g, ''), 'base64').toString('utf8')}`;
    } catch {
      // not base64
    }
  }
  return Buffer.from(text, 'latin1').toString('utf8');
}

export { assert };
