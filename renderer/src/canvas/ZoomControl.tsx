import { Maximize, Minus, Plus } from 'lucide-react';
import { useEditor, useSession } from '../app/editor-context';
import { useAction } from '../app/use-action';
import { IconButton } from '../components/IconButton';
import { Tooltip } from '../components/Tooltip';
import { zoomPercent } from '../editor/viewport';

/** Bottom-right zoom: out, current % (click: 100%), in, fit. */
export function ZoomControl() {
  const ed = useEditor();
  const pct = useSession((s) => zoomPercent(s.viewport));
  const zoomIn = useAction('zoomIn');
  const zoomOut = useAction('zoomOut');
  const fit = useAction('zoomFit');
  const actual = useAction('zoom100');
  return (
    <div className="canvas-float zoom-control">
      <IconButton icon={Minus} label={zoomOut.label} shortcut={zoomOut.shortcut} onClick={zoomOut.perform} placement="top" size={16} testId="zoom-out" />
      <Tooltip label={actual.label} shortcut={actual.shortcut} placement="top">
        <button type="button" className="zoom-value" onClick={() => ed.zoomTo(1)} data-testid="zoom-value">
          {pct}%
        </button>
      </Tooltip>
      <IconButton icon={Plus} label={zoomIn.label} shortcut={zoomIn.shortcut} onClick={zoomIn.perform} placement="top" size={16} testId="zoom-in" />
      <IconButton icon={Maximize} label={fit.label} shortcut={fit.shortcut} onClick={fit.perform} placement="top" size={15} testId="zoom-fit" />
    </div>
  );
}
