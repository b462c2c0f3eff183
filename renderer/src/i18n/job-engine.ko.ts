/** "작업 실행 위치": where new jobs run (Engines panel, status bar, Jobs panel). */
export const jobEngineKo = {
  'jobEngine.title': '작업 실행 위치',
  'jobEngine.hint': '지우기, 제품 누끼, 배경 만들기를 어디서 실행할지 고릅니다. 이미 대기 중인 작업은 맡겨진 엔진에서 끝까지 실행됩니다.',
  'jobEngine.embedded': '내장 엔진 (CPU, 오프라인)',
  'jobEngine.protocol.adstudio-v1': 'adstudio 엔진',
  'jobEngine.protocol.nanococoa': 'nanoCocoa: 배경·글자는 서버, 나머지는 내장 엔진',
  'jobEngine.status.embedded': '새 작업은 내장 엔진(CPU)에서 실행됩니다.',
  'jobEngine.status.connecting': '{name}에 연결하는 중…',
  'jobEngine.status.connected': '새 작업은 {name}에서 실행됩니다.',
  'jobEngine.status.waiting': '{name}이(가) 실행 중이 아닙니다. 아래에서 시작하면 새 작업이 그곳으로 갑니다. 그때까지는 내장 엔진에서 실행됩니다.',
  'jobEngine.status.error': '{name}에 연결하지 못해 새 작업은 내장 엔진에서 실행됩니다.',
  'jobEngine.changeFailed': '작업 실행 위치를 바꾸지 못했습니다: {message}',
  'jobEngine.statusBar': '엔진: {name}',
  'jobs.onEngine': '{name}에서 실행',
} as const;
