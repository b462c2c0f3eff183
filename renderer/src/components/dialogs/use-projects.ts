import { useEffect, useState } from 'react';
import type { Editor } from '../../editor/editor';

export interface ProjectEntry {
  path: string;
  name: string;
  modifiedAt: string;
  bytes: number;
}

/** Saved projects from the host (newest first); null while loading. */
export function useProjects(ed: Editor): ProjectEntry[] | null {
  const [list, setList] = useState<ProjectEntry[] | null>(null);
  useEffect(() => {
    let live = true;
    void ed.api.listProjects().then((r) => {
      if (!live) return;
      setList(r.ok ? [...r.value].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt)) : []);
    });
    return () => {
      live = false;
    };
  }, [ed]);
  return list;
}

export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function projectLabel(name: string): string {
  return name.replace(/\.adstudio$/i, '');
}
