import { LABELS } from './engine-image.js';
import { imageMatches, type EngineProfile } from './profiles.js';
import type { ContainerSummary } from './runtime.js';

export type FoundHow = 'label' | 'name' | 'port';

export interface Candidate {
  container: ContainerSummary;
  how: FoundHow;
  /** Created by adstudio (carries our labels): may be recreated when outdated. */
  managed: boolean;
}

export interface Blocker {
  kind: 'name' | 'port';
  container: ContainerSummary;
}

export interface FindResult {
  /** What to adopt, best first (running before stopped; labelled before named before port). */
  candidates: Candidate[];
  /** Foreign containers in the way of creating ours: our name, or our port. */
  blockers: Blocker[];
}

/**
 * Looks for this profile's engine among all containers, in the order the issue asks for: by our
 * labels, by the profile's known names (the seed's compose name, a hand-made one), and by who holds
 * the port (a matching image that someone ran with -p, or on the host network). A container whose
 * name or port we need but that runs another image is a blocker, never something to duplicate beside.
 */
export function findEngine(profile: EngineProfile, all: readonly ContainerSummary[]): FindResult {
  const candidates: Candidate[] = [];
  const blockers: Blocker[] = [];
  const taken = new Set<string>();
  const add = (c: ContainerSummary, how: FoundHow, managed: boolean) => {
    if (taken.has(c.id)) return;
    taken.add(c.id);
    candidates.push({ container: c, how, managed });
  };

  for (const c of all) {
    if (c.labels[LABELS.managed] === 'true' && c.labels[LABELS.profile] === profile.name) add(c, 'label', true);
  }
  for (const c of all) {
    if (taken.has(c.id) || !profile.knownNames.includes(c.name)) continue;
    if (imageMatches(profile, c.image)) add(c, 'name', false);
    else if (c.name === profile.containerName) blockers.push({ kind: 'name', container: c });
  }
  for (const c of all) {
    if (taken.has(c.id) || c.status !== 'running') continue;
    const publishes = c.ports.some((p) => p.hostPort === profile.hostPort);
    // A host-network container shows no ports: ours say theirs in a label; others are judged by image.
    const hostNet = c.networkMode === 'host' && (c.labels[LABELS.hostPort] === String(profile.hostPort) || (!c.labels[LABELS.hostPort] && imageMatches(profile, c.image)));
    if (!publishes && !hostNet) continue;
    if (imageMatches(profile, c.image) && c.labels[LABELS.profile] === undefined) add(c, 'port', false);
    else blockers.push({ kind: 'port', container: c });
  }
  candidates.sort((a, b) => rank(a) - rank(b));
  return { candidates, blockers };
}

function rank(c: Candidate): number {
  const running = c.container.status === 'running' || c.container.status === 'restarting' ? 0 : 10;
  const how = c.how === 'label' ? 0 : c.how === 'name' ? 1 : 2;
  return running + how;
}

/** The host port where a found container's server answers (its published mapping, else the profile's). */
export function hostPortOf(profile: EngineProfile, c: ContainerSummary): number {
  if (c.networkMode === 'host') return Number(c.labels[LABELS.hostPort] ?? profile.hostPort);
  const mapped = c.ports.find((p) => p.containerPort === profile.containerPort) ?? c.ports[0];
  return mapped?.hostPort ?? profile.hostPort;
}

export function describeContainer(c: ContainerSummary): string {
  return `container "${c.name}" (${c.image}, ${c.status})`;
}
