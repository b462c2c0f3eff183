import { AppError, EMBEDDED_JOB_ENGINE, type EventSink, type Handlers } from '../../../preload/contract/index.js';
import type { JobEnginePort } from './job-engine-choice.js';
import type { SchedulerPort } from './scheduler-handlers.js';

export interface JobEngineHandlers {
  handlers: Pick<Handlers, 'getJobEngine' | 'setJobEngine'>;
  dispose(): Promise<void>;
}

/**
 * "Run jobs on" (getJobEngine / setJobEngine, jobEngine events). Without a choice port (tests, or a
 * build without engine containers) the jobs run where the scheduler runs them and only that is offered.
 */
export function jobEngineHandlers(port: JobEnginePort | undefined, scheduler: SchedulerPort | undefined, emit: EventSink): JobEngineHandlers {
  if (!port) {
    const view = () => ({ choice: EMBEDDED_JOB_ENGINE, active: scheduler?.engine ?? EMBEDDED_JOB_ENGINE, status: 'embedded' as const, message: null, options: [] });
    return {
      handlers: {
        getJobEngine: async () => view(),
        setJobEngine: async ({ choice }) => {
          if (choice !== EMBEDDED_JOB_ENGINE) throw new AppError('unsupported', `Jobs cannot run on "${choice}" here: this adstudio offers no engine containers, only the embedded engine.`);
          return view();
        },
      },
      dispose: async () => {},
    };
  }
  const off = port.subscribe((view) => emit('jobEngine', view));
  return {
    handlers: {
      getJobEngine: async () => port.view(),
      setJobEngine: async ({ choice }) => port.choose(choice),
    },
    async dispose() {
      off();
      await port.close();
    },
  };
}
