import { Brush, Eraser, Hand, Lasso, SquareDashed, type LucideIcon } from 'lucide-react';
import { IconButton } from '../components/IconButton';
import { isAdDocument } from '../document/ad-records';
import type { ToolId } from '../editor/tools/tool-types';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/translate';
import { useDocVersion, useEditor, useSession } from './editor-context';
import { useAction } from './use-action';

const TOOLS: { id: ToolId; icon: LucideIcon; hint: MessageKey; mask: boolean }[] = [
  { id: 'brush', icon: Brush, hint: 'tool.brushHint', mask: true },
  { id: 'eraser', icon: Eraser, hint: 'tool.eraserHint', mask: true },
  { id: 'rect', icon: SquareDashed, hint: 'tool.rectHint', mask: true },
  { id: 'lasso', icon: Lasso, hint: 'tool.lassoHint', mask: true },
  { id: 'hand', icon: Hand, hint: 'tool.handHint', mask: false },
];

/** Left vertical tool rail. Mask tools belong to photos; an ad is edited on the canvas itself (select, drag, transform). */
export function ToolRail() {
  const ed = useEditor();
  useDocVersion();
  if (isAdDocument(ed.document())) return <aside className="rail" aria-label="tools" data-testid="tool-rail-ad" />;
  return (
    <aside className="rail" aria-label="tools">
      {TOOLS.map((tool, i) => (
        <ToolButton key={tool.id} {...tool} separatorBefore={i === 4} />
      ))}
    </aside>
  );
}

function ToolButton({ id, icon, hint, mask, separatorBefore }: (typeof TOOLS)[number] & { separatorBefore: boolean }) {
  const t = useT();
  const action = useAction(`tool.${id}`);
  const active = useSession((s) => s.tool === id);
  const comparing = useSession((s) => !!s.compare);
  return (
    <>
      {separatorBefore ? <div className="rail-sep" /> : null}
      <IconButton
        icon={icon}
        label={action.label}
        shortcut={action.shortcut}
        hint={mask && comparing ? t('tool.disabledCompare') : t(hint)}
        disabled={!action.enabled}
        active={active}
        placement="right"
        size={19}
        onClick={action.perform}
        testId={`tool-${id}`}
      />
    </>
  );
}
