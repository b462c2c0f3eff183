import { FxClient } from './fx-client';

let shared: FxClient | null = null;

/** One effects worker for the app: effects and auto place share its decoded-pixel cache. */
export function sharedFxClient(): FxClient {
  return (shared ??= new FxClient());
}
