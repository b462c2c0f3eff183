import { memo } from 'react';
import { Circle, Group, Image as KImage, Layer, Line, Text } from 'react-konva';
import type { TextRegionPayload } from '../../../preload/contract/detect';
import { useDocVersion, useEditor, useSession } from '../app/editor-context';
import { BADGE_PX, badgeCentre } from '../editor/text-regions/region-hit';
import { regionFill } from './region-fill';

/** Proposed regions: a colour that reads over photos and differs from every mask swatch's hue. */
export const REGION_ON = '#22d3ee';
const REGION_OFF = '#c3c9d2';

/**
 * Regions proposed by "Detect text", over the photo and the mask, following zoom and pan (the stage
 * transform). Enabled ones: their exact glyph mask tinted, a solid outline and a filled number badge;
 * disabled ones: a dashed, dimmed outline and a hollow badge. Clicks are handled by the canvas input
 * (hit test in image pixels), so this layer does not listen.
 */
// Memoised on zoom: panning re-renders the canvas view, but the regions only change with the zoom.
export const TextRegionsLayer = memo(function TextRegionsLayer({ zoom }: { zoom: number }) {
  const ed = useEditor();
  useDocVersion();
  const state = useSession((s) => s.textRegions);
  const hover = useSession((s) => s.textHover);
  useSession((s) => s.compare);
  if (!state || !ed.textRegions.visible()) return null;
  return (
    <Layer listening={false} imageSmoothingEnabled={false}>
      {state.regions.map((r, i) => (
        <RegionShape key={r.id} region={r} enabled={!!state.enabled[i]} hovered={hover === r.id} zoom={zoom} ready={state.cropsReady} />
      ))}
    </Layer>
  );
});

function RegionShape({ region, enabled, hovered, zoom, ready }: { region: TextRegionPayload; enabled: boolean; hovered: boolean; zoom: number; ready: boolean }) {
  const ed = useEditor();
  const crop = ready && enabled ? ed.textRegions.crop(region.id) : undefined;
  const fill = crop ? regionFill(crop, REGION_ON) : null;
  const points = region.polygon.flat();
  const colour = enabled ? REGION_ON : REGION_OFF;
  const width = hovered ? 2.5 : 1.5;
  const c = badgeCentre(region, zoom);
  const r = BADGE_PX / 2;
  return (
    <>
      {fill && crop ? <KImage image={fill} x={crop.x} y={crop.y} width={crop.width} height={crop.height} opacity={hovered ? 0.55 : 0.4} /> : null}
      <Line points={points} closed stroke="black" strokeWidth={width + 2} strokeScaleEnabled={false} opacity={enabled ? 0.55 : 0.35} />
      <Line points={points} closed stroke={colour} strokeWidth={width} strokeScaleEnabled={false} opacity={enabled ? 1 : 0.75} dash={enabled ? undefined : [5 / zoom, 4 / zoom]} />
      {/* The badge keeps its screen size at every zoom. */}
      <Group x={c.x} y={c.y} scaleX={1 / zoom} scaleY={1 / zoom}>
        <Circle radius={r} fill={enabled ? REGION_ON : 'rgba(20,22,26,0.85)'} stroke={enabled ? 'black' : REGION_OFF} strokeWidth={hovered ? 2 : 1} dash={enabled ? undefined : [3, 2]} />
        <Text
          text={String(region.id)}
          x={-r}
          y={-r}
          width={r * 2}
          height={r * 2}
          align="center"
          verticalAlign="middle"
          fontSize={region.id >= 100 ? 8 : 11}
          fontStyle="bold"
          fontFamily="'Noto Sans KR', system-ui, sans-serif"
          fill={enabled ? '#06141a' : REGION_OFF}
        />
      </Group>
    </>
  );
}
