import { LayersPanel } from './LayersPanel';
import { MaskPanel } from './MaskPanel';
import { EraseMethodPanel } from './methods/EraseMethodPanel';
import { TextRegionsPanel } from './text-regions/TextRegionsPanel';
import { ToolOptions } from './ToolOptions';

/** Right column: proposed text regions (after "Detect text"), layers, tool options, mask, erase method. */
export function SidePanel() {
  return (
    <aside className="side">
      <TextRegionsPanel />
      <LayersPanel />
      <ToolOptions />
      <MaskPanel />
      <EraseMethodPanel />
    </aside>
  );
}
