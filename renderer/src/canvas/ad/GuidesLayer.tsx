import { Line } from 'react-konva';
import type { Guide } from '../../editor/ad/snapping';

/** Snapping guides in canvas px, one screen pixel wide at any zoom. */
export function Guides({ guides, zoom }: { guides: readonly Guide[]; zoom: number }) {
  return (
    <>
      {guides.map((g, i) => (
        <Line
          key={i}
          points={g.axis === 'x' ? [g.at, g.from, g.at, g.to] : [g.from, g.at, g.to, g.at]}
          stroke="#ff2d8a"
          strokeWidth={1 / zoom}
          dash={[4 / zoom, 3 / zoom]}
          listening={false}
          name="ad-guide"
        />
      ))}
    </>
  );
}
