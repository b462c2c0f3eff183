import { FileImage, FolderOpen, ImagePlus } from 'lucide-react';
import { useT, useLang } from '../i18n/i18n-context';
import { pickImage } from '../editor/open-image';
import { openProject, openProjectAt } from '../editor/project-io';
import { formatDate, projectLabel, useProjects } from '../components/dialogs/use-projects';
import { useEditor, useSession } from './editor-context';

/** First screen: one obvious action (open an image), drop/paste hint, recent projects. */
export function Welcome({ dragging }: { dragging: boolean }) {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const loading = useSession((s) => s.loading);
  const projects = useProjects(ed);
  return (
    <main className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <div className="welcome-hero">
          <h1>{t('app.tagline')}</h1>
        </div>
        <section className={`dropzone${dragging ? ' over' : ''}`} aria-label={t('welcome.openImage')}>
          <div className="dropzone-icon">
            <ImagePlus size={28} />
          </div>
          <button type="button" className="btn primary large" onClick={() => void pickImage(ed)} disabled={loading} data-testid="open-image-button">
            {loading ? <span className="spinner" /> : null}
            {t('welcome.openImage')}
          </button>
          <div className="sub">
            {t('welcome.openImageHint')} · {t('welcome.dropHint', { paste: ed.isMac ? '⌘V' : 'Ctrl+V' })}
          </div>
          <ol className="steps">
            {(['welcome.step1', 'welcome.step2', 'welcome.step3'] as const).map((k, i) => (
              <li key={k}>
                <span className="step-num">{i + 1}</span>
                {t(k)}
              </li>
            ))}
          </ol>
        </section>
        <section className="recent" aria-labelledby="recent-title">
          <h2 id="recent-title">{t('welcome.recent')}</h2>
          {projects && projects.length > 0 ? (
            <ul className="recent-list" data-testid="recent-projects">
              {projects.slice(0, 8).map((p) => (
                <li key={p.path}>
                  <button type="button" className="recent-item" onClick={() => ed.guardUnsaved(() => void openProjectAt(ed, p.path))}>
                    <FileImage size={18} color="var(--text-faint)" />
                    <span style={{ minWidth: 0 }}>
                      <div className="name">{projectLabel(p.name)}</div>
                      <div className="meta">{formatDate(p.modifiedAt, lang)}</div>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <div className="recent-empty">{projects ? t('welcome.noRecent') : <span className="spinner" />}</div>
          )}
          <button type="button" className="btn" style={{ marginTop: 'auto' }} onClick={() => openProject(ed)} data-testid="welcome-open-project">
            <FolderOpen size={15} />
            {t('welcome.openProject')}
          </button>
        </section>
      </div>
    </main>
  );
}
