import type { JobEngineViewPayload } from '../../../../preload/contract/jobs';
import type { Translate } from '../../i18n/translate';

/** How an engine is named to a person: the profile's title, "embedded engine", or the raw name. */
export function engineName(t: Translate, view: Pick<JobEngineViewPayload, 'options'> | null, engine: string): string {
  if (engine === 'embedded') return t('jobEngine.embedded');
  return view?.options.find((o) => o.profile === engine)?.title ?? engine;
}
