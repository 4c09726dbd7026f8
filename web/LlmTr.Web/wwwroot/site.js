// Site-wide behaviours that would otherwise be inline handlers, which the Content-Security-Policy forbids.
// Handlers sit on the document, so they also work on pages that Blazor's enhanced navigation swaps in.
(() => {
  document.addEventListener('click', (event) => {
    if (event.target.closest('[data-llmtr-print]')) {
      window.print();
    }
  });

  // In a form marked data-llmtr-enter-sends, Enter in a text area sends the form and Shift+Enter breaks the line
  // (a character being composed, as with an input method, is left alone).
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || !(event.target instanceof HTMLTextAreaElement)) {
      return;
    }

    const form = event.target.closest('form[data-llmtr-enter-sends]');
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
