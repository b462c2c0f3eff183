import { describe, expect, it } from 'vitest';
import { customEngineProfileSchema, type CustomEngineProfile } from '../../../../preload/contract/engines';
import { translate } from '../../../../renderer/src/i18n/translate';
import { checkForm, emptyForm, formFromProfile, parseEnvLines, type FormContext, type ProfileFormValues } from '../../../../renderer/src/panels/engines/profile-form';

const builtins = [
  { name: 'adstudio-engine', containerName: 'adstudio-engine' },
  { name: 'nanococoa', containerName: 'adstudio-nanococoa' },
];
const stored: CustomEngineProfile = customEngineProfileSchema.parse({
  name: 'upscaler',
  image: 'team/upscaler:2',
  port: 7000,
  command: ['serve', '--port', '{port}'],
  knownNames: ['old-upscaler'],
  env: { MODEL: 'x4' },
  passEnv: ['HF_TOKEN'],
  volume: { containerPath: '/models' },
});
const add: FormContext = { mode: 'add', builtins, custom: [stored] };
const edit: FormContext = { mode: 'edit', builtins, custom: [stored] };
const filled = (over: Partial<ProfileFormValues> = {}): ProfileFormValues => ({ ...emptyForm(), name: 'demo', image: 'demo/engine:1', port: '9000', ...over });

/** The message a person reads next to the field, in each language. */
const says = (v: ProfileFormValues, ctx: FormContext, field: keyof ProfileFormValues) => {
  const e = checkForm(v, ctx).errors[field];
  return e ? { ko: translate('ko', e.key, e.vars), en: translate('en', e.key, e.vars) } : null;
};

describe('the Add engine form: checks next to each field, in Korean and English', () => {
  it('a minimal form becomes a profile the contract accepts, with the shown defaults', () => {
    const { profile, errors } = checkForm(filled(), add);
    expect(errors).toEqual({});
    expect(customEngineProfileSchema.parse(profile)).toMatchObject({ name: 'demo', image: 'demo/engine:1', port: 9000, healthPath: '/health', protocol: 'adstudio-v1', gpu: false, minFreeDiskGb: 0, env: {} });
    expect(profile).not.toHaveProperty('hostPort');
    expect(profile).not.toHaveProperty('volume');
  });

  it('required fields, names, ports and paths say what is wrong', () => {
    expect(says(filled({ name: '', image: '', port: '' }), add, 'image')).toEqual({ ko: '꼭 적어야 합니다.', en: 'Required.' });
    expect(says(filled({ name: 'My Engine' }), add, 'name')!.en).toMatch(/lowercase letters, digits/);
    expect(says(filled({ name: 'My Engine' }), add, 'name')!.ko).toMatch(/소문자/);
    expect(says(filled({ port: '70000' }), add, 'port')).toEqual({ ko: '1부터 65535 사이의 정수를 적어 주세요.', en: 'A whole number from 1 to 65535.' });
    expect(says(filled({ port: '80.5' }), add, 'port')).not.toBeNull();
    expect(says(filled({ hostPort: '0' }), add, 'hostPort')).not.toBeNull();
    expect(says(filled({ healthPath: 'health' }), add, 'healthPath')!.en).toBe('Must start with "/".');
    expect(says(filled({ image: 'team/engine 1' }), add, 'image')!.en).toMatch(/No spaces/);
    expect(says(filled({ volumeHost: 'models', volumeContainer: '/models' }), add, 'volumeHost')!.en).toMatch(/absolute folder path/);
    expect(says(filled({ volumeHost: '/srv/models' }), add, 'volumeContainer')!.ko).toBe('컨테이너 안 폴더도 적어 주세요.');
    expect(says(filled({ minFreeDiskGb: '-1' }), add, 'minFreeDiskGb')).not.toBeNull();
    expect(says(filled({ healthTimeoutSec: '2' }), add, 'healthTimeoutSec')!.en).toBe('Whole seconds from 5 to 86400.');
  });

  it('name clashes: a built-in name, a taken name, and a name whose container belongs to another engine', () => {
    expect(says(filled({ name: 'nanococoa' }), add, 'name')).toEqual({
      ko: '"nanococoa"은(는) 기본 엔진의 이름입니다. 다른 이름을 고르세요.',
      en: '"nanococoa" is the name of a built-in engine; choose another name.',
    });
    expect(says(filled({ name: 'upscaler' }), add, 'name')!.en).toBe('An engine named "upscaler" already exists; choose another name, or edit that one.');
    // "engine" would run as the container adstudio-engine, the built-in's.
    expect(says(filled({ name: 'engine' }), add, 'name')!.en).toBe('The container name adstudio-engine belongs to the adstudio-engine engine; choose another name.');
    // Editing keeps its own name without a clash.
    expect(checkForm(formFromProfile(stored), edit).errors).toEqual({});
  });

  it('environment lines: KEY=VALUE sets a value, KEY alone passes it from the host; bad and repeated keys name the line', () => {
    expect(parseEnvLines('A=1\n\n# a note\nHF_TOKEN\n B = two words ')).toEqual({ env: { A: '1', B: ' two words ' }, passEnv: ['HF_TOKEN'], error: null });
    expect(says(filled({ env: 'A=1\nNOT OK=2' }), add, 'env')).toEqual({
      ko: '2번째 줄: KEY=VALUE 또는 KEY 형식이어야 합니다 (KEY는 영문자, 숫자, _).',
      en: 'Line 2: write KEY=VALUE, or KEY alone (letters, digits and _).',
    });
    expect(says(filled({ env: 'A=1\nA=2' }), add, 'env')!.en).toBe('Line 2: A appears twice.');
    // Values may contain "=" (URLs, base64).
    expect(parseEnvLines('URL=http://x/?a=b').env).toEqual({ URL: 'http://x/?a=b' });
  });

  it('editing round-trips the stored profile and keeps what the form does not show (command, knownNames)', () => {
    const form = formFromProfile(stored);
    expect(form.env).toBe('MODEL=x4\nHF_TOKEN');
    const { profile } = checkForm({ ...form, image: 'team/upscaler:3', hostPort: '17000', gpu: true }, edit);
    expect(customEngineProfileSchema.parse(profile)).toEqual({ ...stored, image: 'team/upscaler:3', hostPort: 17000, gpu: true });
    // Clearing an optional field removes it rather than keeping the old value.
    const cleared = checkForm({ ...formFromProfile({ ...stored, hostPort: 17000, healthTimeoutSec: 900 }), hostPort: '', healthTimeoutSec: '' }, edit).profile!;
    expect(cleared).not.toHaveProperty('hostPort');
    expect(cleared).not.toHaveProperty('healthTimeoutSec');
  });
});
