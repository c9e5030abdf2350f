// newsdesk editor pages: the only script (the pages' Content-Security-Policy allows no inline script).
// Everything works without it; it only asks before a form marked data-confirm is sent (discard, merge, split).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
