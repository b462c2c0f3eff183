import type { BackgroundPreset } from '../../../../preload/contract/ad-layout.js';
import { bokeh } from './bokeh.js';
import { concrete } from './concrete.js';
import { linen } from './linen.js';
import { marble } from './marble.js';
import { sweep } from './sweep.js';
import { tabletop } from './tabletop.js';
import type { Preset } from './types.js';
import { windowLight } from './window-light.js';
import { wood } from './wood.js';

/** Every named backdrop (the names are BACKGROUND_PRESETS in the ad-layout contract). */
export const PRESETS: Record<BackgroundPreset, Preset> = {
  sweep,
  tabletop,
  window: windowLight,
  bokeh,
  marble,
  wood,
  linen,
  concrete,
};
