// A bar chart as inline SVG: no library, readable by screen readers through its title and description.
import { s } from './dom.js';

let chartCounter = 0;

/** Horizontal bars, one per label; the description lists every value as text. */
export function barChart(title: string, bars: { label: string; value: number }[]): SVGElement {
  const id = `chart${++chartCounter}`;
  const rowHeight = 28;
  // Wide enough for the longest label ("Siirretty seuraavalle kierrokselle"), at about 7.5 px a character.
  const labelWidth = Math.min(320, Math.max(160, Math.ceil(Math.max(0, ...bars.map((bar) => bar.label.length)) * 7.5) + 16));
  const barWidth = 320;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * rowHeight + 8;
  return s(
    'svg',
    {
      class: 'chart',
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      viewBox: `0 0 ${labelWidth + barWidth + 60} ${height}`,
      width: '100%',
      style: `max-width:${labelWidth + barWidth + 60}px`,
    },
    s('title', { id: `${id}-title` }, title),
    s('desc', { id: `${id}-desc` }, bars.map((bar) => `${bar.label}: ${bar.value}`).join(', ')),
    bars.map((bar, index) => {
      const y = index * rowHeight + 4;
      const width = Math.round((bar.value / max) * barWidth);
      return s(
        'g',
        { 'aria-hidden': 'true' },
        s('text', { x: labelWidth - 8, y: y + 17, 'text-anchor': 'end' }, bar.label),
        s('rect', {
          class: 'bar',
          x: labelWidth,
          y,
          width: Math.max(width, bar.value > 0 ? 2 : 0),
          height: rowHeight - 8,
          rx: 3,
        }),
        s('text', { x: labelWidth + width + 6, y: y + 17 }, bar.value.toLocaleString(document.documentElement.lang || 'fi')),
      );
    }),
  );
}
