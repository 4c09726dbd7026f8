// Site-wide behaviours that would otherwise be inline handlers, which the Content-Security-Policy forbids.
// Handlers sit on the document, so they also work on pages that Blazor's enhanced navigation swaps in, and on
// interactive pages, whose circuit leaves alone the attributes set here (data-open, aria-expanded, inert) because
// its own markup of them never changes.
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

  // The site menu on narrow screens (Layout/SiteMenu.razor): a drawer under the app bar, opened by the menu button.
  const wide = window.matchMedia('(min-width: 1280px)');
  const menu = () => document.querySelector('[data-llmtr-menu=panel]');
  const menuButton = () => document.querySelector('[data-llmtr-menu=toggle]');
  const page = () => document.querySelector('.mud-main-content');

  function openMenu() {
    const panel = menu();
    if (!panel) {
      return;
    }

    panel.setAttribute('data-open', '');
    menuButton()?.setAttribute('aria-expanded', 'true');
    page()?.setAttribute('inert', '');
    panel.querySelector('a[href], button:not([disabled])')?.focus();
  }

  function closeMenu(returnFocus) {
    const panel = menu();
    if (!panel?.hasAttribute('data-open')) {
      return;
    }

    panel.removeAttribute('data-open');
    menuButton()?.setAttribute('aria-expanded', 'false');
    page()?.removeAttribute('inert');
    if (returnFocus) {
      menuButton()?.focus();
    }
  }

  document.addEventListener('click', (event) => {
    const control = event.target.closest('[data-llmtr-menu]');
    const role = control?.getAttribute('data-llmtr-menu');
    if (role === 'toggle') {
      if (menu()?.hasAttribute('data-open')) {
        closeMenu(false);
      } else {
        openMenu();
      }
    } else if (role === 'close') {
      closeMenu(true);
    } else if (event.target.closest('[data-llmtr-menu=panel] a[href]')) {
      closeMenu(false); // a followed link leads elsewhere: the next page starts with the menu closed
    }
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu()?.hasAttribute('data-open')) {
      closeMenu(true);
    }
  });

  // Widened past the drawer's breakpoint, the menu is back in the app bar: nothing may stay inert.
  wide.addEventListener('change', (event) => {
    if (event.matches) {
      closeMenu(false);
    }
  });

  // A docs page's sidebar (pages and search) on narrow screens: behind a button above the page, closed at first.
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-llmtr-disclosure]');
    const panel = button && document.getElementById(button.getAttribute('aria-controls'));
    if (!panel) {
      return;
    }

    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    panel.toggleAttribute('data-open', open);
    if (open) {
      panel.querySelector('input, a[href]')?.focus();
    }
  });
})();
