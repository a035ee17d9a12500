// The wall layout (大屏), mounted by src/main.ts when the page is under /wall.
import { mount } from 'svelte';
import './wall.css';
import Wall from './Wall.svelte';

export function mountWall(target: HTMLElement): ReturnType<typeof mount> {
  document.documentElement.dataset['layout'] = 'wall';
  return mount(Wall, { target });
}
