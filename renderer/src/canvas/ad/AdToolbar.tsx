import { ArrowDown, ArrowDownToLine, ArrowUp, ArrowUpToLine, Trash2, Wand2, type LucideIcon } from 'lucide-react';
import { useAction } from '../../app/use-action';
import { IconButton } from '../../components/IconButton';

/** A floating toolbar over the ad canvas for the selected layer: auto place, z-order, delete. */
export function AdToolbar() {
  const place = useAction('ad.autoPlace');
  if (!place.state.ad.selected || place.state.ad.busy) return null;
  return (
    <div className="canvas-float zoom-control" data-testid="ad-toolbar" role="toolbar" style={{ top: 12, bottom: 'auto', left: '50%', transform: 'translateX(-50%)' }}>
      {place.state.ad.selected === 'product' ? <ToolButton id="ad.autoPlace" icon={Wand2} /> : null}
      <ToolButton id="ad.front" icon={ArrowUpToLine} />
      <ToolButton id="ad.forward" icon={ArrowUp} />
      <ToolButton id="ad.backward" icon={ArrowDown} />
      <ToolButton id="ad.back" icon={ArrowDownToLine} />
      <ToolButton id="ad.delete" icon={Trash2} />
    </div>
  );
}

function ToolButton({ id, icon }: { id: string; icon: LucideIcon }) {
  const a = useAction(id);
  return <IconButton icon={icon} label={a.label} shortcut={a.shortcut} disabled={!a.enabled} onClick={a.perform} placement="bottom" testId={`ad-toolbar-${id.slice(3)}`} size={16} />;
}
