// `use:focusSoon`: the field takes the keyboard once its dialog has opened (a modal dialog
// focuses its first control as it opens — the close button — so this waits a frame), the caret
// at the end.
export function focusSoon(node: HTMLInputElement | HTMLElement): void {
  requestAnimationFrame(() => {
    node.focus();
    if (node instanceof HTMLInputElement && node.type === 'text') node.setSelectionRange(node.value.length, node.value.length);
  });
}
