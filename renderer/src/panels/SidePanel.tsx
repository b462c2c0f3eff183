import { LayersPanel } from './LayersPanel';
import { MaskPanel } from './MaskPanel';
import { ToolOptions } from './ToolOptions';

/** Right column: layers, tool options, mask. */
export function SidePanel() {
  return (
    <aside className="side">
      <LayersPanel />
      <ToolOptions />
      <MaskPanel />
    </aside>
  );
}
