import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { LayersPanel } from '../LayersPanel';
import { BackgroundsPanel } from './BackgroundsPanel';
import { CanvasSizePanel } from './CanvasSizePanel';
import { CutoutTray } from './CutoutTray';
import { ProductInspector } from './ProductInspector';
import { TextInspector } from './TextInspector';
import { TextPanel } from './TextPanel';
import './ad-panels.css';

/** The side panel of an ad document: the selected layer's inspector first, then what builds the ad. */
export function AdPanels() {
  const ed = useEditor();
  useDocVersion();
  const selectedId = useSession((s) => s.selectedId);
  const selected = selectedId ? ed.document()?.records[selectedId] : undefined;
  return (
    <>
      {selected?.type === 'product' ? <ProductInspector key={selected.id} product={selected} /> : null}
      {selected?.type === 'text' ? <TextInspector key={selected.id} text={selected} /> : null}
      <TextPanel />
      <BackgroundsPanel />
      <CutoutTray />
      <LayersPanel />
      <CanvasSizePanel />
    </>
  );
}
