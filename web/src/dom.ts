/** A tiny element builder: no framework, no innerHTML (nothing from the API is ever parsed as HTML). */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

const append = (parent: Node, children: readonly Child[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
};

const setAttrs = (element: Element, attrs: Attrs | undefined): void => {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
};

/** An HTML element: `h('p', {class: 'note'}, 'text', child)`; `on*` attributes add listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttrs(element, attrs ?? undefined);
  append(element, children);
  return element;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes are presentation attributes, never inline styles (the CSP forbids them). */
export function s(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const element = document.createElementNS(svgNs, tag) as SVGElement;
  setAttrs(element, attrs ?? undefined);
  append(element, children);
  return element;
}

export const fragment = (...children: Child[]): DocumentFragment => {
  const frag = document.createDocumentFragment();
  append(frag, children);
  return frag;
};

let idCounter = 0;
/** A document-unique id for label/description links. */
export const uid = (prefix: string): string => `${prefix}-${++idCounter}`;

/**
 * A table that scrolls sideways on narrow screens; the region is focusable so keyboards can scroll it.
 * A table with phone cards (see `table`) does not scroll: each row is a card under the breakpoint.
 */
export const scrollTable = (label: string, table: HTMLTableElement): HTMLElement =>
  h(
    'div',
    {
      class: table.classList.contains('cards-on-phone') ? 'table-scroll cards-on-phone' : 'table-scroll',
      role: 'region',
      'aria-label': label,
      tabindex: 0,
    },
    table,
  );

/**
 * How a table reads on a phone: each row a card, titled by the column `title`, listing only the
 * columns in `shown` (each under its header, from the cell's `data-label`); the others wait for a
 * wider screen.
 */
export interface PhoneCards {
  title: number;
  shown: readonly number[];
}

const cardCell = (headers: readonly string[], cards: PhoneCards, index: number) => ({
  'data-label': headers[index],
  class: index === cards.title ? 'card-title' : cards.shown.includes(index) ? undefined : 'wide-only',
});

export const table = (
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly Child[])[],
  options: { rowHeaders?: boolean; captionHidden?: boolean; cards?: PhoneCards } = {},
): HTMLTableElement => {
  const { cards } = options;
  return h(
    'table',
    cards ? { class: 'cards-on-phone' } : null,
    h('caption', options.captionHidden ? { class: 'visually-hidden' } : null, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((header) => h('th', { scope: 'col' }, header)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((row) =>
        h(
          'tr',
          null,
          row.map((cell, index) =>
            index === 0 && options.rowHeaders
              ? h('th', { scope: 'row' }, cell)
              : cards
                ? // One box for the value, so a card lays it out beside its label as one piece.
                  h('td', cardCell(headers, cards, index), h('div', { class: 'cell' }, cell))
                : h('td', null, cell),
          ),
        ),
      ),
    ),
  );
};
