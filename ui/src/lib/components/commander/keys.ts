// The console's keyboard shortcuts, as the help overlay lists them (labels are dictionary
// keys). App.svelte's key handler is the behaviour; a unit test keeps this list and the
// dictionaries in step.

export interface Shortcut {
  /** Keys as shown (any one of them works). */
  keys: readonly string[];
  /** Dictionary key of what it does. */
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['/', 'Ctrl+K'], label: 'commander.keys.search' },
  { keys: ['I'], label: 'commander.keys.incidents' },
  { keys: ['↑', '↓', 'Home', 'End'], label: 'commander.keys.list_move' },
  { keys: ['[', ']'], label: 'commander.keys.cycle' },
  { keys: ['R'], label: 'commander.keys.intake' },
  { keys: ['V'], label: 'commander.keys.response' },
  { keys: ['G'], label: 'commander.keys.dispatch' },
  { keys: ['B'], label: 'commander.keys.reports' },
  { keys: ['J'], label: 'commander.keys.journal' },
  { keys: ['!'], label: 'commander.keys.alerts' },
  { keys: ['T'], label: 'commander.keys.replay' },
  { keys: ['←', '→', 'Shift+←', 'Shift+→'], label: 'commander.keys.replay_move' },
  { keys: ['D'], label: 'commander.keys.duty' },
  { keys: ['Y'], label: 'commander.keys.plans' },
  { keys: ['K'], label: 'commander.keys.readiness' },
  { keys: ['X'], label: 'commander.keys.registry' },
  { keys: ['N'], label: 'commander.keys.nearby' },
  { keys: ['L'], label: 'commander.keys.layers' },
  { keys: ['U'], label: 'commander.keys.drill_up' },
  { keys: ['M'], label: 'commander.keys.measure_distance' },
  { keys: ['A'], label: 'commander.keys.measure_area' },
  { keys: ['Enter'], label: 'commander.keys.measure_finish' },
  { keys: ['W'], label: 'commander.keys.wall' },
  { keys: ['E'], label: 'commander.keys.export_png' },
  { keys: ['P'], label: 'commander.keys.export_pdf' },
  { keys: ['Q'], label: 'commander.keys.quarantine' },
  { keys: ['F2'], label: 'commander.keys.edit' },
  { keys: ['?'], label: 'commander.keys.help' },
  { keys: ['Esc'], label: 'commander.keys.escape' },
  { keys: ['Tab'], label: 'commander.keys.tab' },
];
