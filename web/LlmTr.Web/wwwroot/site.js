// Site-wide behaviours that would otherwise be inline handlers, which the Content-Security-Policy forbids.
// Handlers sit on the document, so they also work on pages that Blazor's enhanced navigation swaps in.
(() => {
  document.addEventListener('click', (event) => {
    if (event.target.closest('[data-llmtr-print]')) {
      window.print();
    }
  });
})();
