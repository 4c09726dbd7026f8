// The docs pages' two behaviours: copy buttons on code blocks and the search box. Handlers sit on the document, so
// they work on pages Blazor's enhanced navigation swaps in without any setup per page. The search index of a
// language is fetched once, on first use, and searched here in the browser.
(() => {
  const indexes = new Map();
  const maxResults = 8;

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('.llmtr-copy');
    const code = button?.closest('.llmtr-code')?.querySelector('pre code');
    if (!code) {
      return;
    }

    await navigator.clipboard.writeText(code.innerText);
    button.dataset.label ??= button.textContent;
    button.textContent = button.dataset.copied;
    button.classList.add('llmtr-copied');
    setTimeout(() => {
      button.textContent = button.dataset.label;
      button.classList.remove('llmtr-copied');
    }, 2000);
  });

  document.addEventListener('focusin', (event) => {
    if (event.target.id === 'docs-search') {
      load(event.target.dataset.index);
    }
  });

  document.addEventListener('input', (event) => {
    if (event.target.id === 'docs-search') {
      search(event.target);
    }
  });

  document.addEventListener('keydown', (event) => {
    if (event.target.id === 'docs-search' && event.key === 'Enter') {
      const first = document.querySelector('#docs-search-results a');
      if (first) {
        event.preventDefault();
        first.click();
      }
    }
  });

  // Typing may have begun before this script ran (it is deferred): search what is already there.
  const early = document.getElementById('docs-search');
  if (early?.value) {
    search(early);
  }

  function load(url) {
    if (!indexes.has(url)) {
      indexes.set(url, fetch(url).then((response) => response.json()).catch(() => {
        indexes.delete(url);
        return [];
      }));
    }

    return indexes.get(url);
  }

  async function search(input) {
    const language = document.documentElement.lang || 'en';
    const lower = (text) => text.toLocaleLowerCase(language);
    const query = lower(input.value.trim());
    const results = document.getElementById('docs-search-results');
    if (query.length < 2) {
      results.replaceChildren();
      return;
    }

    const pages = await load(input.dataset.index);
    if (lower(input.value.trim()) !== query) {
      return; // a later keystroke has its own search
    }

    const terms = query.split(/\s+/);
    const found = [];
    for (const page of pages) {
      const title = lower(page.title);
      const headings = page.headings.map((h) => ({ ...h, lower: lower(h.text) }));
      const text = lower(page.text);
      if (!terms.every((t) => title.includes(t) || text.includes(t) || headings.some((h) => h.lower.includes(t)))) {
        continue;
      }

      const heading = headings.find((h) => terms.some((t) => h.lower.includes(t)));
      const score = terms.reduce((sum, t) => sum + (title.includes(t) ? 10 : 0) + (heading?.lower.includes(t) ? 5 : 0) + (text.includes(t) ? 1 : 0), 0);
      found.push({ page, heading, score });
    }

    found.sort((a, b) => b.score - a.score);
    const items = found.slice(0, maxResults).map(({ page, heading }) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = heading && !lower(page.title).includes(terms[0]) ? `${page.url}#${heading.id}` : page.url;
      link.textContent = page.title;
      item.append(link);
      if (heading) {
        const where = document.createElement('span');
        where.textContent = heading.text;
        item.append(where);
      }

      return item;
    });
    if (items.length === 0) {
      const none = document.createElement('li');
      none.className = 'llmtr-docs-no-results';
      none.textContent = input.dataset.noResults;
      items.push(none);
    }

    results.replaceChildren(...items);
  }
})();
