// The console's modal dialog behaviour (action `use:modal` on a <dialog>): shown while open, closed by Esc, a click beside it or `open` turning false.
import type { ActionReturn } from 'svelte/action';

export interface ModalOptions {
  /** Whether the dialog is shown (as a modal: focus trapped, the rest inert). */
  open: boolean;
  /** Asked to close it: Esc (the dialog's `close` event) or a click on the backdrop. */
  onclose: () => void;
}

export function modal(dialog: HTMLDialogElement, options: ModalOptions): ActionReturn<ModalOptions> {
  let current = options;
  const sync = (): void => {
    if (current.open && !dialog.open) dialog.showModal();
    else if (!current.open && dialog.open) dialog.close();
  };
  const onClose = (): void => current.onclose();
  /** A click on the backdrop lands on the dialog element itself. */
  const onClick = (e: MouseEvent): void => {
    if (e.target === dialog) current.onclose();
  };
  dialog.addEventListener('close', onClose);
  dialog.addEventListener('click', onClick);
  sync();
  return {
    update(next) {
      current = next;
      sync();
    },
    destroy() {
      dialog.removeEventListener('close', onClose);
      dialog.removeEventListener('click', onClick);
    },
  };
}
