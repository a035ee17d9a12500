// Opening and closing the console's list dialogs: alerts (告警, !), the duty panel (值班, D) and
// the plan library (预案库, Y). One is open at a time; the alerts are read again on opening.
import { app } from '../state.svelte';
import { refreshAlerts } from '../session';

export function toggleAlerts(open = !app.alertsOpen): void {
  app.alertsOpen = open;
  if (open) {
    app.dutyOpen = false;
    app.plansOpen = false;
    void refreshAlerts();
  }
}

export function toggleDuty(open = !app.dutyOpen): void {
  app.dutyOpen = open;
  if (open) {
    app.alertsOpen = false;
    app.plansOpen = false;
  }
}

export function togglePlans(open = !app.plansOpen): void {
  app.plansOpen = open;
  if (open) {
    app.alertsOpen = false;
    app.dutyOpen = false;
  }
}
