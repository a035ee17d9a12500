import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/lib/bindings/Alert';
import type { Hazard } from '../src/lib/bindings/Hazard';
import type { Shelter } from '../src/lib/bindings/Shelter';
import type { Team } from '../src/lib/bindings/Team';
import type { TeamRequestView } from '../src/lib/bindings/TeamRequestView';
import type { Warehouse } from '../src/lib/bindings/Warehouse';
import { alertTarget } from '../src/lib/components/alerts/alerts';
import { pickAction } from '../src/lib/components/dispatch/picks';
import { answerProblem, answersFor, historyLines, pendingTeams, requestsOf, statusBadge, whereNow } from '../src/lib/components/dispatch/requests';
import { checkPoint, gradeFor, placeRefusal, refusedField, toBody, valuesOf } from '../src/lib/components/editor/form';
import { choicesOf, EDITABLE, isEditable, jurisdictionChoices, SCHEMAS, withRecorded } from '../src/lib/components/editor/schema';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';
import { BOOT } from './fixtures';

const ZH = zh as Record<string, string>;
const EN = en as Record<string, string>;
const inBoth = (keys: string[]) => keys.filter((k) => !(k in ZH) || !(k in EN));

const NAMES: Record<string, string> = { '220502000000': '东昌区', '220500000000': '通化市', '220000000000': '吉林省' };
const nameOf = (code: string) => NAMES[code] ?? code;

const view = (over: Partial<TeamRequestView> = {}, state: Partial<TeamRequestView['state']> = {}): TeamRequestView => ({
  id: 'r1',
  request: { incident: 'i1', team: 't1', from: '220502000000', to: '220500000000', reason: '水域救援：江东乡洪涝', requested_at: '2026-11-23T10:30:00+08:00' },
  state: { asked: '220500000000', status: 'pending', order: null, history: [], late: [], ...state },
  team_name: '通化市消防救援支队滨江路消防救援站',
  incident_title: '江东乡洪涝',
  mine_to_answer: false,
  can_order: false,
  ...over,
});

describe('team requests', () => {
  it('split an incident’s requests into those to answer here and those followed; pending teams known', () => {
    const all = [view({ id: 'a' }), view({ id: 'b', mine_to_answer: true }), view({ id: 'c', request: { ...view().request, incident: 'other' } })];
    const r = requestsOf(all, 'i1');
    expect([r.incoming.map((v) => v.id), r.followed.map((v) => v.id)]).toEqual([['b'], ['a']]);
    expect([...pendingTeams([view(), view({ id: 'x', request: { ...view().request, team: 't2' } }, { status: 'declined' })], 'i1')]).toEqual(['t1']);
  });

  it('badge each status (待答复 / 已批准 / 已拒绝) and say where it stands', () => {
    expect(['pending', 'approved', 'declined'].map((s) => ZH[statusBadge(s as 'pending').label])).toEqual(['待答复', '已批准', '已拒绝']);
    expect(statusBadge('pending').colour).toBe('#ffb020');
    expect(whereNow('zh-CN', view(), nameOf)).toBe('待通化市答复');
    expect(whereNow('en', view({}, { asked: '220000000000', status: 'approved' }), nameOf)).toBe('Approved by 吉林省');
  });

  it('write the history a line each, in Beijing time, notes and late answers shown', () => {
    const v = view(
      {},
      {
        asked: '220000000000',
        status: 'approved',
        order: 'o1',
        history: [
          { answer: 'forwarded', by: '220500000000', to: '220000000000', at: '2026-11-23T02:32:00Z', note: '' },
          { answer: 'approved', by: '220000000000', order: 'o1', at: '2026-11-23T10:40:00+08:00', note: '同意' },
        ],
        late: [{ answer: 'declined', by: '220500000000', at: '2026-11-23T10:41:00+08:00', note: '无力量' }],
      },
    );
    expect(historyLines('zh-CN', v, nameOf)).toEqual(['东昌区 报请 通化市 10:30', '通化市 转报 吉林省 10:32', '吉林省 批准 10:40：同意', '通化市 拒绝 10:41：无力量（迟到答复，未采用）']);
    expect(historyLines('en', v, nameOf)[1]).toBe('通化市 passed it to 吉林省 10:32');
  });

  it('offer the answers this centre may give: approve only when it may order the team', () => {
    expect(answersFor({ mine_to_answer: false, can_order: true })).toEqual([]);
    expect(answersFor({ mine_to_answer: true, can_order: true })).toEqual(['approve', 'forward', 'decline']);
    expect(answersFor({ mine_to_answer: true, can_order: false })).toEqual(['forward', 'decline']);
  });

  it('need a note to decline, none to approve or pass up', () => {
    expect([answerProblem('decline', '  '), answerProblem('decline', '力量不足'), answerProblem('forward', ''), answerProblem('approve', '')]).toEqual(['request.err.note', null, null, null]);
  });

  it('turn a pick’s authority into its button: dispatch, request, requested already, nothing', () => {
    const via = { how: 'request', via: '220500000000' } as const;
    expect([pickAction({ how: 'direct' }, false), pickAction(via, false), pickAction(via, true), pickAction({ how: 'outside' }, false)]).toEqual(['dispatch', 'request', 'requested', 'none']);
  });

  it('lead a team request alert to its incident’s dispatch panel', () => {
    const a: Alert = { incident: 'i1', subject: { kind: 'team_request', id: 'r1' }, title: 't', kind: 'team_request', text: '', due: null };
    expect(alertTarget(a)).toEqual({ to: 'dispatch', id: 'i1' });
  });

  it('have every label in both languages', () => {
    const keys = [
      ...['pending', 'approved', 'declined'].flatMap((s) => [`request.status.${s}`, `request.where.${s}`]),
      ...['asked', 'forwarded', 'approved', 'declined', 'note', 'late'].map((h) => `request.history.${h}`),
      ...['approve', 'forward', 'decline'].flatMap((a) => [`request.answer.${a}`, `request.answered.${a}`]),
      ...['dispatch', 'request'].flatMap((s) => ['title', 'close', 'reason', 'ok', 'err_reason'].map((k) => `${s}.confirm.${k}`)),
      ...['chief', 'group', 'pool'].map((x) => `experts.tier.${x}`),
      'alerts.kind.team_request',
      'refusal.request.not_yours',
    ];
    expect(inBoth(keys)).toEqual([]);
    expect(ZH['request.button']?.replace('{via}', '通化市')).toBe('向通化市申请');
    expect(EN['request.button']?.replace('{via}', 'Tonghua')).toBe('Request via Tonghua');
  });
});

const TEAM: Team = {
  name: '江东乡政府专职消防队',
  team_type: 'fire_rescue',
  specialties: ['water_rescue'],
  headcount: 12,
  equipment: [{ name: '冲锋舟', count: 2 }],
  owner: '220502000000',
  base: '220502000000',
  location: { lon: 126.02, lat: 41.7 },
  readiness_min: 5,
  status: 'standby',
};
const WAREHOUSE: Warehouse = { name: '东昌区救灾物资储备库', kind: 'relief', tier: 'county', owner: '220502000000', holder: '东昌区应急管理局', jurisdiction: '220502000000', location: { lon: 125.95, lat: 41.73 } };
const SHELTER: Shelter = { name: '滨江公园应急避难场所', shelter_type: 'emergency', jurisdiction: '220502000000', location: { lon: 125.96, lat: 41.72 }, effective_area_m2: 12000, per_capita_m2: 1.5, facilities: ['water', 'toilet'], closed: false };
const HAZARD: Hazard = { name: '某水库', hazard_kind: 'reservoir', grade: 'medium', jurisdiction: '220502000000', location: { lon: 125.9, lat: 41.6 }, threatened_people: 300, description: '下游 3 个村' };

describe('record editor', () => {
  it('has a schema per kind with exactly the fields of its binding, each labelled', () => {
    const bodies = { team: TEAM, warehouse: WAREHOUSE, shelter: SHELTER, hazard: HAZARD };
    for (const kind of EDITABLE) {
      expect(SCHEMAS[kind].map((s) => s.key).sort(), kind).toEqual(Object.keys(bodies[kind]).sort());
      expect(inBoth(SCHEMAS[kind].map((s) => `field.${s.key}`)), kind).toEqual([]);
    }
    expect([isEditable('team'), isEditable('incident'), isEditable(null)]).toEqual([true, false, false]);
    expect(inBoth(['editor.flag.closed', ...['people', 'minutes', 'm2', 'm2_per_person'].map((u) => `editor.unit.${u}`)])).toEqual([]);
  });

  it('turns a record into the form and back unchanged (every kind)', () => {
    const bodies = { team: TEAM, warehouse: WAREHOUSE, shelter: SHELTER, hazard: HAZARD };
    for (const kind of EDITABLE) {
      const extra = { demo: true, [kind === 'team' ? 'team_type_zh' : 'other']: 'x' };
      const built = toBody('zh-CN', kind, valuesOf(kind, { ...bodies[kind], ...extra }));
      expect(built, kind).toEqual({ ok: true, body: { entity_kind: kind, ...bodies[kind] } });
    }
  });

  it('parses numbers, equipment rows (blank ones dropped) and the closed flag', () => {
    const v = valuesOf('team', TEAM);
    v.text['headcount'] = ' 15 ';
    v.text['readiness_min'] = '8';
    v.equipment.push({ name: ' 橡皮艇 ', count: '3' }, { name: '', count: '' });
    const built = toBody('zh-CN', 'team', v);
    expect(built.ok && built.body).toMatchObject({ headcount: 15, readiness_min: 8, equipment: [{ name: '冲锋舟', count: 2 }, { name: '橡皮艇', count: 3 }] });
    const s = valuesOf('shelter', SHELTER);
    s.flag['closed'] = true;
    s.text['per_capita_m2'] = '2.5';
    expect(toBody('en', 'shelter', s)).toMatchObject({ ok: true, body: { closed: true, per_capita_m2: 2.5 } });
  });

  it('catches obvious errors by field, in the operator’s language', () => {
    const v = valuesOf('team', TEAM);
    Object.assign(v.text, { name: ' ', headcount: '12.5', readiness_min: '-1', owner: '2205' });
    v.equipment = [{ name: '', count: '2' }];
    const built = toBody('zh-CN', 'team', v);
    expect(built.ok ? null : built.errors).toEqual({
      name: '必填',
      headcount: '请输入整数（0 或更大）',
      readiness_min: '请输入整数（0 或更大）',
      owner: '请选择行政区划',
      equipment: '装备名称不能为空',
    });
    v.equipment = [{ name: '冲锋舟', count: 'two' }];
    const again = toBody('en', 'team', v);
    expect(again.ok ? null : again.errors['equipment']).toBe('An equipment count is a whole number (0 or more)');
    // Zero members is for the host to refuse (its rule, its words): the form lets it through.
    const zero = valuesOf('team', TEAM);
    zero.text['headcount'] = '0';
    expect(toBody('zh-CN', 'team', zero).ok).toBe(true);
  });

  it('checks a location is in China, and says so when lon and lat look swapped', () => {
    expect(checkPoint('126.02', '41.7')).toEqual({ ok: true, point: { lon: 126.02, lat: 41.7 } });
    expect(checkPoint('2.35', '48.85')).toEqual({ ok: false, error: 'editor.err.china' });
    expect(checkPoint('41.7', '126.02')).toEqual({ ok: false, error: 'editor.err.swapped' });
    expect(checkPoint('', '41.7')).toEqual({ ok: false, error: 'editor.err.coord' });
    expect(checkPoint('abc', '41.7')).toEqual({ ok: false, error: 'editor.err.coord' });
    expect([checkPoint('73', '3').ok, checkPoint('135.5', '54').ok, checkPoint('136', '40').ok]).toEqual([true, true, false]);
    const v = valuesOf('hazard', HAZARD);
    v.lon = '2.35';
    const built = toBody('zh-CN', 'hazard', v);
    expect(built.ok ? null : built.errors['location']).toBe('坐标不在中国境内：经度应在 73–135.5、纬度应在 3–54 之间');
  });

  it('reads the field a validation refusal names and places it beside that field', () => {
    const headcount = { code: 'validation.field', message: 'field `headcount`: a team has at least one member' };
    expect(refusedField(headcount)).toEqual({ field: 'headcount', message: 'a team has at least one member' });
    expect(refusedField({ code: 'dispatch.busy', message: 'field `x`: y' })).toBeNull();
    expect(refusedField({ code: 'validation.field', message: 'no field here' })).toBeNull();
    expect(placeRefusal('zh-CN', 'team', headcount)).toEqual({ field: 'headcount', text: '填写有误：a team has at least one member' });
    expect(placeRefusal('en', 'warehouse', { code: 'validation.field', message: 'field `owner_code`: owner 220502000000 is a County code but the warehouse tier is City' }).field).toBe('owner');
    expect(placeRefusal('en', 'shelter', { code: 'validation.field', message: 'field `lat`: 95 is out of range [-90, 90]' }).field).toBe('location');
    expect(placeRefusal('zh-CN', 'team', { code: 'validation.field', message: 'field `stock`: nope' })).toEqual({ field: null, text: '填写有误：field `stock`: nope' });
    expect(placeRefusal('zh-CN', 'team', { code: 'transport', message: 'offline' })).toEqual({ field: null, text: 'transport: offline' });
  });

  it('offers the taxonomy’s choices, a hazard’s grades by its kind, and keeps values recorded outside them', () => {
    expect(choicesOf('zh-CN', BOOT, 'specialty').map((c) => c.label)).toEqual(['水上搜救', '应急医疗救护']);
    expect(choicesOf('en', BOOT, 'team_status')[0]).toEqual({ value: 'standby', label: EN['status.team.standby'] });
    expect(choicesOf('zh-CN', BOOT, 'hazard_grade', 'reservoir')).toEqual([{ value: 'medium', label: '中型' }]);
    expect(choicesOf('zh-CN', BOOT, 'hazard_grade', 'unknown')).toEqual([]);
    expect(jurisdictionChoices('zh-CN', BOOT)).toEqual([{ value: '220502000000', label: '东昌区 220502000000' }]);
    expect(withRecorded([{ value: 'a', label: 'A' }], ['a', 'legacy', ''])).toEqual([{ value: 'a', label: 'A' }, { value: 'legacy', label: 'legacy' }]);
    expect([gradeFor(BOOT, 'reservoir', 'medium'), gradeFor(BOOT, 'reservoir', 'large'), gradeFor(BOOT, 'none', 'x')]).toEqual(['medium', 'medium', '']);
  });
});
