import { useDocVersion, useEditor } from '../app/editor-context';
import { isAdDocument } from '../document/ad-records';
import { AdPanels } from './ad/AdPanels';
import { LayersPanel } from './LayersPanel';
import { MaskPanel } from './MaskPanel';
import { EraseMethodPanel } from './methods/EraseMethodPanel';
import { TextRegionsPanel } from './text-regions/TextRegionsPanel';
import { ToolOptions } from './ToolOptions';

/**
 * Right column. A photo: proposed text regions (after "Detect text"), layers, tool options, mask,
 * erase method. An ad: the ad panels (inspector, text, backgrounds, products, layers, size).
 */
export function SidePanel() {
  const ed = useEditor();
  useDocVersion();
  if (isAdDocument(ed.document())) {
    return (
      <aside className="side" data-testid="ad-side">
        <AdPanels />
      </aside>
    );
  }
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
