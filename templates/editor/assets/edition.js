// newsdesk: the Edition review page's script (templates/editor/edition.eta), a file because the pages'
// Content-Security-Policy allows no inline script. The page works without it: every form posts and the page
// reloads. With it:
// - the forms marked data-inplace post in the background (the same POSTs, CSRF token and all), and the page
//   the server answers with is swapped in region by region (data-region), so editing stays where it was;
// - a Story is reordered in its section by dragging its handle (pointer events: mouse, touch and pen alike),
//   or from the keyboard with Alt+ArrowUp / Alt+ArrowDown on the focused handle; the section's whole new order
//   is posted to /editions/<id>/order;
// - the preview frames reload after each change that changed the Edition.
'use strict';
(() => {
  document.documentElement.classList.add('js');
  const toast = document.getElementById('review-status');
  let hideTimer = 0;
  /** Says what happened where the editor is looking (and to screen readers: the toast is a live region). */
  const say = (message, kind = 'ok') => {
    if (!toast) return;
    toast.textContent = message;
    toast.classList.toggle('error', kind === 'error');
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { toast.textContent = ''; }, kind === 'error' ? 15000 : 6000);
  };
  const csrf = () => document.querySelector('input[name="_csrf"]')?.value ?? '';
  const stories = () => document.getElementById('stories');

  // One change at a time, in the order made; the page is swapped in after the last one, so moves made
  // while an earlier one is saving are not undone by its answer.
  let chain = Promise.resolve();
  let pending = 0;
  function post(action, body, after) {
    pending += 1;
    stories()?.classList.add('saving');
    chain = chain
      .then(async () => {
        try {
          const response = await fetch(action, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'text/html' } });
          const text = await response.text();
          return response.ok ? { html: text, url: response.url } : { error: text.trim() || `Not saved (HTTP ${response.status}): reload the page.` };
        } catch (error) {
          return { error: `Not saved: the server did not answer (${error.message}). Reload the page.` };
        }
      })
      .then((result) => {
        pending -= 1;
        if (result.error) say(result.error, 'error');
        if (pending > 0) return;
        stories()?.classList.remove('saving');
        if (result.html) swap(result.html, result.url, after);
      });
  }

  /** Where the focus is, as a selector that finds the same place in the page swapped in. */
  function focusSelector() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const story = el.closest('li.story');
    if (story) return el.classList.contains('handle') ? `#${CSS.escape(story.id)} .handle` : `#row-${CSS.escape(story.dataset.story)} > summary`;
    if (el.id) return `#${CSS.escape(el.id)}`;
    const details = el.closest('details[id]');
    return details ? `#${CSS.escape(details.id)} > summary` : null;
  }

  function swap(html, url, after) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    // Not the review page (the session ended: the login page): go there.
    if (!doc.getElementById('stories')) {
      location.assign(url);
      return;
    }
    const open = new Set([...document.querySelectorAll('[data-region] details[id][open], details[data-region][open]')].map((d) => d.id));
    const focus = focusSelector();
    for (const region of document.querySelectorAll('[data-region]')) {
      const fresh = doc.getElementById(region.id);
      if (fresh) region.replaceWith(document.adoptNode(fresh));
    }
    for (const details of document.querySelectorAll('[data-region] details[id], details[data-region]')) details.open = open.has(details.id);
    const flash = doc.querySelector('main > .flash[role]');
    if (flash) say(flash.textContent.trim(), flash.classList.contains('flash-error') ? 'error' : 'ok');
    document.querySelector('main > .flash[role]')?.remove();
    const preview = document.getElementById('preview');
    const version = doc.getElementById('preview')?.dataset.version;
    if (preview && version && preview.dataset.version !== version) {
      preview.dataset.version = version;
      // Assigning src again loads the frame again (the preview is never cached: no-store).
      for (const frame of preview.querySelectorAll('iframe')) frame.src = frame.getAttribute('src');
    }
    const target = (after && after()) || focus;
    if (target) document.querySelector(target)?.focus({ preventScroll: true });
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    // editor.js runs first: a form whose data-confirm question was declined is not sent.
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute('data-inplace')) return;
    event.preventDefault();
    post(form.action, new URLSearchParams(new FormData(form, event.submitter)));
  });

  /** Posts the whole order of the Story's section, as the list now shows it. */
  function saveOrder(item) {
    const list = item.parentElement;
    const ids = [...list.children].map((li) => li.dataset.story);
    const body = new URLSearchParams({ _csrf: csrf(), section: list.dataset.section });
    for (const id of ids) body.append('story', id);
    const title = item.querySelector('.title')?.textContent ?? 'the Story';
    say(`Moved “${title}” to ${ids.indexOf(item.dataset.story) + 1} of ${ids.length} in ${list.dataset.label}; saving…`);
    post(stories().dataset.order, body, () => `#${CSS.escape(item.id)} .handle`);
  }

  const orderOf = (list) => [...list.children].map((li) => li.dataset.story).join(' ');

  // Dragging: the row follows the pointer among its section's rows; on release the new order is saved.
  // Listened for on the document: the row moves in the DOM while dragged, which ends any pointer capture.
  document.addEventListener('pointerdown', (event) => {
    const handle = event.target instanceof Element ? event.target.closest('.handle') : null;
    if (!handle || event.button !== 0) return;
    event.preventDefault();
    const item = handle.closest('li.story');
    const list = item.parentElement;
    const before = orderOf(list);
    item.classList.add('dragging');
    const move = (e) => {
      const next = [...list.children].find((li) => li !== item && e.clientY < li.getBoundingClientRect().top + li.getBoundingClientRect().height / 2) ?? null;
      if (item.nextElementSibling !== next) list.insertBefore(item, next);
      if (e.clientY < 48) window.scrollBy(0, -16);
      else if (e.clientY > window.innerHeight - 48) window.scrollBy(0, 16);
    };
    const end = () => {
      document.removeEventListener('pointermove', move);
      document.removeEventListener('pointerup', end);
      document.removeEventListener('pointercancel', end);
      item.classList.remove('dragging');
      handle.focus({ preventScroll: true });
      if (orderOf(list) !== before) saveOrder(item);
    };
    document.addEventListener('pointermove', move);
    document.addEventListener('pointerup', end);
    document.addEventListener('pointercancel', end);
  });

  // The keyboard's way: Alt+ArrowUp / Alt+ArrowDown on a focused handle moves its Story one place.
  document.addEventListener('keydown', (event) => {
    const handle = event.target instanceof Element ? event.target.closest('.handle') : null;
    if (!handle || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const item = handle.closest('li.story');
    const list = item.parentElement;
    const up = event.key === 'ArrowUp';
    const sibling = up ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) {
      say(`Already ${up ? 'first' : 'last'} in ${list.dataset.label}; to move it to another section, open it and choose the section.`);
      return;
    }
    list.insertBefore(item, up ? sibling : sibling.nextElementSibling);
    handle.focus();
    saveOrder(item);
  });
})();
