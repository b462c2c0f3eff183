import { useMemo } from 'react';
import { useEditor } from '../../app/editor-context';
import { EditGesture } from '../../editor/ad/ad-flow-edit';

/** One EditGesture per control (label = its history step), bound to the open document's store. */
export function useGesture(label: string): EditGesture {
  const ed = useEditor();
  return useMemo(() => new EditGesture(() => ed.store(), label), [ed, label]);
}
