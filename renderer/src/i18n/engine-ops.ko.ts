/** Engines panel: what happens at quit, a nanoCocoa server's reset, removing a container, the full log's earlier lines. */
export const engineOpsKo = {
  'engines.onQuit.label': 'adstudio를 끝낼 때',
  'engines.onQuit.leave-running': '엔진을 계속 실행해 둡니다',
  'engines.onQuit.stop': '엔진을 멈춥니다',
  'engines.onQuit.hint': '멈추기를 고르면 이번에 adstudio가 시작한 엔진만 멈춥니다. 계속 실행해 두면 다음에 바로 이어서 씁니다 (오래 걸리는 모델 내려받기도 이어집니다).',
  'engines.onQuit.failed': '끝낼 때 설정을 저장하지 못했습니다: {message}',
  'engines.reset': '초기화',
  'engines.resetConfirm': '{name} 서버를 초기화할까요? 서버에서 실행 중인 작업이 모두 멈추고, 멈춰 버린 작업 잠금이 풀립니다.',
  'engines.resetYes': '초기화합니다',
  'engines.resetNo': '그대로 둡니다',
  'engines.remove': '컨테이너 삭제',
  'engines.removeConfirm':
    '{name}의 컨테이너({container})를 삭제할까요? 이미지({image})와 모델 볼륨은 지우지 않습니다. 다음에 시작하면 프로필 설정으로 새 컨테이너를 만듭니다. 실행 중인 엔진은 먼저 멈춰야 합니다.',
  'engines.removeYes': '컨테이너를 삭제합니다',
  'engines.removeNo': '그대로 둡니다',
  'engines.logsShown': '마지막 {count}줄',
  'engines.logsMore': '이전 줄 더 보기',
} as const;
