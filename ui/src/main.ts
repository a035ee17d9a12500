import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');

// The hub serves the same files at /wall/ (the command hall's read-only wall layout) and at
// / and /console/ (the commander layout, also the desktop app's).
if (location.pathname.startsWith('/wall')) {
  void import('./wall/mount').then(({ mountWall }) => mountWall(target));
} else {
  mount(App, { target });
}
