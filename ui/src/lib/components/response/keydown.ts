// `use:keydown={handler}`: a form's own keys (Enter on a select saves, Esc leaves), listened to
// on the form without making it an interactive element.
import type { ActionReturn } from 'svelte/action';

export function keydown(node: HTMLElement, handler: (e: KeyboardEvent) => void): ActionReturn<(e: KeyboardEvent) => void> {
  let current = handler;
  const listener = (e: KeyboardEvent) => current(e);
  node.addEventListener('keydown', listener);
  return {
    update(next) {
      current = next;
    },
    destroy() {
      node.removeEventListener('keydown', listener);
    },
  };
}
