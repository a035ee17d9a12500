// The symbol sheet (dev server only: `npx vite`, then /bench/symbols.html): every symbol of
// the set at three sizes on the map background, for reviewing the drawing. Not built into dist/.
import { buildPalette, legendOf, type Swatch } from '../src/lib/map/palette';
import { BARE_TAXONOMY } from '../src/lib/map/synthetic';
import { drawSymbol, symbolSpec } from '../src/lib/map/symbols';
import { LAYERS } from '../src/lib/map/features';

const p = buildPalette(BARE_TAXONOMY);
const sheet = document.getElementById('sheet') as HTMLElement;

function row(title: string, swatches: readonly Swatch[]): void {
  const h = document.createElement('div');
  h.textContent = title;
  h.style.margin = '10px 10px 4px';
  sheet.append(h);
  const sizes = [16, 24, 48];
  const canvas = document.createElement('canvas');
  const w = swatches.length * 120;
  canvas.width = w * devicePixelRatio;
  canvas.height = 110 * devicePixelRatio;
  canvas.style.width = `${w}px`;
  canvas.style.height = '110px';
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.scale(devicePixelRatio, devicePixelRatio);
  swatches.forEach((s, i) => {
    let x = i * 120 + 4;
    for (const size of sizes) {
      if (s.symbol) drawSymbol(ctx, s.symbol, x, 60 - size / 2, size);
      x += size + 4;
    }
    ctx.fillStyle = '#a8bdd6';
    ctx.font = '11px sans-serif';
    ctx.fillText(s.value, i * 120 + 4, 104);
  });
  sheet.append(canvas);
}

for (const l of LAYERS) row(l, legendOf(p, l));
row('teams by type', p.teamType);
row('teams: every type × on_scene', p.teamType.map((s) => ({ ...s, symbol: symbolSpec(p, 'teams', s.value, 'on_scene') })));
document.documentElement.dataset['ready'] = 'true';
