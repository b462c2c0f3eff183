import type { TextRegion } from './types.js';

/** One region as written to a boxes file (the CLI's --boxes, the detect_text stage's "boxes" output). */
export function regionForJson(r: TextRegion) {
  return { id: r.id, polygon: r.polygon, box: r.box, score: r.score, lineHeight: r.lineHeight, angle: r.angle, text: r.text ?? null };
}

/** The boxes file: the image size and one region per line (readable, and still plain JSON). */
export function regionsJson(width: number, height: number, regions: readonly TextRegion[]): string {
  const lines = regions.map((r) => `    ${JSON.stringify(regionForJson(r))}`).join(',\n');
  return `{\n  "width": ${width},\n  "height": ${height},\n  "regions": [${lines ? `\n${lines}\n  ` : ''}]\n}\n`;
}
