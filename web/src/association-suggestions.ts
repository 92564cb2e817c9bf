/**
 * Suggestions from the association register under the complaint form's name field, as a combobox
 * (WAI-ARIA 1.2 pattern with a listbox): typing two characters or more lists up to ten registered
 * associations; arrows move, Enter or a tap picks one, Escape closes. Picking fills the name, the
 * credit code and the province.
 */
import { api, bodyOf } from './api.ts';
import { h } from './dom.ts';
import { provinceName, t } from './i18n.ts';

interface Suggestion {
  creditCode: string;
  name: string;
  province: string;
}

export const suggestAssociations = (
  nameInput: HTMLInputElement,
  pick: (suggestion: Suggestion) => void,
): HTMLElement => {
  const listbox = h('ul', {
    id: 'association-suggestions',
    role: 'listbox',
    class: 'suggestions',
    'aria-label': t('associationSuggestions'),
    hidden: true,
  });
  nameInput.setAttribute('role', 'combobox');
  nameInput.setAttribute('aria-autocomplete', 'list');
  nameInput.setAttribute('aria-controls', listbox.id);
  nameInput.setAttribute('aria-expanded', 'false');

  let items: Suggestion[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  const close = () => {
    listbox.hidden = true;
    nameInput.setAttribute('aria-expanded', 'false');
    nameInput.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (index: number) => {
    const chosen = items[index];
    if (!chosen) return;
    pick(chosen);
    close();
  };
  const mark = (index: number) => {
    active = index;
    Array.from(listbox.children).forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
    });
    if (index >= 0) nameInput.setAttribute('aria-activedescendant', `association-suggestion-${index}`);
  };
  const show = (found: Suggestion[]) => {
    items = found;
    listbox.replaceChildren(
      ...found.map((suggestion, i) => {
        const option = h(
          'li',
          { id: `association-suggestion-${i}`, role: 'option', 'aria-selected': 'false' },
          h('span', { class: 'suggestion-name' }, suggestion.name),
          h(
            'span',
            { class: 'suggestion-detail code' },
            `${suggestion.creditCode} · ${provinceName(suggestion.province)}`,
          ),
        );
        // mousedown, not click: the input keeps its focus, so the list is still there when the tap lands.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(i);
        });
        return option;
      }),
    );
    listbox.hidden = found.length === 0;
    nameInput.setAttribute('aria-expanded', String(found.length > 0));
    active = -1;
  };

  nameInput.addEventListener('input', () => {
    clearTimeout(timer);
    const text = nameInput.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    timer = setTimeout(async () => {
      const ask = ++asked;
      const found = await bodyOf(api.GET('/api/associations', { params: { query: { q: text } } })).then(
        (answer) => answer.suggestions,
        // Suggestions are a help: without them the form works as before.
        () => [],
      );
      if (ask === asked) show(found);
    }, 200);
  });
  nameInput.addEventListener('keydown', (event) => {
    if (listbox.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      mark((active + step + items.length) % items.length);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape') close();
  });
  nameInput.addEventListener('blur', close);
  return listbox;
};
