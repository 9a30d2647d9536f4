/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What "nothing is cut" means on a screen, checked in the page itself (Chromium, through
// playwright-core). The rule the UI keeps, at 1024×600 as at any size:
//
// 1. A column header (th, role=columnheader) is never cut: its text fits its box, and the box lies
//    within the window and within every box that clips it (a table scrolled sideways hides it).
// 2. A visible button is never cut in the same way: its label fits, and it lies within the window
//    and its clipping boxes, left to right. (Below the fold is fine: that is what scrolling is for.)
// 3. Text may end in an ellipsis (text-overflow: ellipsis, or -webkit-line-clamp) only where a
//    tooltip shows the whole of it: the element, or the nearest ancestor with a title, carries a
//    title that contains the text cut. Anything else cut is a defect.
//
// Hidden things are not looked at: display none, visibility hidden, zero size, or inside a
// visually-hidden box (the screen-reader-only labels).
import type { Page } from 'playwright-core';

export interface LayoutProblem {
  kind: 'header-cut' | 'header-outside' | 'button-cut' | 'button-outside' | 'text-cut-without-title';
  text: string;
  where: string;
}

/** Every breach of the rule above within `scope` (a CSS selector; the whole page by default). */
export async function layoutProblems(page: Page, scope = 'body'): Promise<LayoutProblem[]> {
  // tsx names the functions below with a helper the page does not have; given as text, it is not rewritten.
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  return page.evaluate((scopeSelector) => {
    const problems: { kind: string; text: string; where: string }[] = [];
    const root = document.querySelector(scopeSelector);
    if (!root) return [{ kind: 'header-outside', text: `no ${scopeSelector}`, where: scopeSelector }];
    const slack = 1;

    const describe = (element: Element) => {
      const parts: string[] = [];
      for (let e: Element | null = element; e && parts.length < 4; e = e.parentElement) {
        const id = e.getAttribute('data-testid');
        parts.push(id ? `[data-testid=${id}]` : `${e.tagName.toLowerCase()}${e.classList.length ? `.${[...e.classList].join('.')}` : ''}`);
      }
      return parts.join(' < ');
    };
    const textOf = (element: Element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim();

    const hidden = (element: Element): boolean => {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return true;
      for (let e: Element | null = element; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return true;
        if (e.classList.contains('visually-hidden')) return true;
      }
      return false;
    };

    /** Where it is cut on the right or left: by the window, or by an ancestor that clips sideways; null when it is not. */
    const outside = (element: Element): string | null => {
      const rect = element.getBoundingClientRect();
      const span = `${Math.round(rect.left)}–${Math.round(rect.right)}`;
      if (rect.left < -slack || rect.right > window.innerWidth + slack) return `${span} outside the window (0–${window.innerWidth})`;
      for (let e = element.parentElement; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        // A modal dialog sits in the top layer, and a fixed box on the window: nothing above them clips them.
        const escapes = e.matches('dialog:modal') || style.position === 'fixed';
        if (style.overflowX === 'visible') {
          if (escapes) break;
          continue;
        }
        const box = e.getBoundingClientRect();
        const left = box.left + e.clientLeft;
        const right = left + e.clientWidth;
        if (rect.left < left - slack || rect.right > right + slack) return `${span} outside ${describe(e)} (${Math.round(left)}–${Math.round(right)})`;
        if (escapes) break;
      }
      return null;
    };

    /** Its own content wider than its box, where the box does not show the overflow. */
    const overflowsItself = (element: Element): boolean => {
      const style = getComputedStyle(element);
      if (style.overflowX === 'visible' && style.textOverflow !== 'ellipsis') return false;
      return element.scrollWidth > element.clientWidth + slack;
    };

    const headers = root.querySelectorAll('th, [role="columnheader"]');
    for (const header of headers) {
      if (hidden(header) || !textOf(header)) continue;
      if (overflowsItself(header) || [...header.querySelectorAll('*')].some((child) => !hidden(child) && overflowsItself(child))) {
        problems.push({ kind: 'header-cut', text: textOf(header), where: describe(header) });
      } else {
        const cut = outside(header);
        if (cut) problems.push({ kind: 'header-outside', text: textOf(header), where: `${describe(header)}: ${cut}` });
      }
    }

    const buttons = root.querySelectorAll('button, [role="button"], input[type="button"], input[type="submit"], a.button');
    for (const button of buttons) {
      if (hidden(button)) continue;
      const label = textOf(button) || button.getAttribute('aria-label') || '';
      const cut = overflowsItself(button) ? null : outside(button);
      if (overflowsItself(button)) problems.push({ kind: 'button-cut', text: label, where: describe(button) });
      else if (cut) problems.push({ kind: 'button-outside', text: label, where: `${describe(button)}: ${cut}` });
    }

    for (const element of root.querySelectorAll('*')) {
      const style = getComputedStyle(element);
      const ellipsis = style.textOverflow === 'ellipsis' && style.overflowX !== 'visible';
      const clamped = style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '' && style.overflowY !== 'visible';
      if (!ellipsis && !clamped) continue;
      if (hidden(element)) continue;
      const cut = (ellipsis && element.scrollWidth > element.clientWidth + slack) || (clamped && element.scrollHeight > element.clientHeight + slack);
      if (!cut) continue;
      const text = textOf(element);
      if (!text) continue;
      const titled = element.closest('[title]');
      const title = (titled?.getAttribute('title') ?? '').replace(/\s+/g, ' ');
      if (!title.includes(text)) problems.push({ kind: 'text-cut-without-title', text, where: describe(element) });
    }
    return problems;
  }, scope) as Promise<LayoutProblem[]>;
}
