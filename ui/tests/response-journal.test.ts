import { describe, expect, it } from 'vitest';
import type { JournalLine } from '../src/lib/bindings/JournalLine';
import { beijingClock, journalRows, summarise, type JournalNames } from '../src/lib/components/response/journal';

const INC = 'inc-1';
const T = Date.parse('2026-11-23T12:37:10+08:00');
const line = (at: number, intent: string, kind: JournalLine['entity']['kind'] = 'incident', id = INC, what = ''): JournalLine => ({ at_ms: at, actor: 'operator', intent, entity: { kind, id }, what, origin: 'n' });
const NAMES: JournalNames = {
  plans: [{ id: 'dongchang-flood', zh: '东昌区防汛抗旱应急预案', en: 'Dongchang flood plan' }],
  tasks: new Map([['task-1', '防指办公室组织会商研判']]),
  notes: new Map([['note-1', '接报：报告人 张伟']]),
};

describe('journal summaries', () => {
  it('writes decisions with their level and plan', () => {
    expect(summarise('zh-CN', line(T, 'response.start: dongchang-flood Ⅳ', 'incident', INC, 'decision'), NAMES, false)).toEqual({ kind: 'decision', text: '启动Ⅳ级响应 · 东昌区防汛抗旱应急预案' });
    expect(summarise('en', line(T, 'response.upgrade: dongchang-flood Ⅲ'), NAMES, false).text).toBe('Upgrade Level Ⅲ · Dongchang flood plan');
    expect(summarise('zh-CN', line(T, 'response.terminate: dongchang-flood '), NAMES, false).text).toBe('终止 · 东昌区防汛抗旱应急预案');
    expect(summarise('zh-CN', line(T, 'response.start: other-plan Ⅳ'), NAMES, false).text).toBe('启动Ⅳ级响应 · other-plan');
  });

  it('names reports by label, tasks by title, notes by text', () => {
    expect(summarise('zh-CN', line(T, 'report.初报', 'incident', INC, 'report'), NAMES, false)).toEqual({ kind: 'report', text: '报送初报' });
    expect(summarise('zh-CN', line(T, 'response.start: dongchang-flood Ⅳ', 'task', 'task-1'), NAMES, false)).toEqual({ kind: 'task', text: '布置任务：防指办公室组织会商研判' });
    expect(summarise('zh-CN', line(T, 'task.upsert', 'task', 'task-1', 'done, title'), NAMES, false).text).toBe('任务状态更新：防指办公室组织会商研判');
    expect(summarise('zh-CN', line(T, 'journal.upsert', 'journal', 'note-1'), NAMES, false)).toEqual({ kind: 'note', text: '记录：接报：报告人 张伟' });
  });

  it('tells the call taken in from later edits (with the fields in words)', () => {
    expect(summarise('zh-CN', line(T, 'incident.upsert', 'incident', INC, 'title, status'), NAMES, true).text).toBe('接报登记（事件建立）');
    expect(summarise('zh-CN', line(T, 'incident.upsert', 'incident', INC, 'status, grade, demo, odd'), NAMES, false).text).toBe('事件信息更新：状态、等级、odd');
    expect(summarise('zh-CN', line(T, 'fixtures.load incidents.csv'), NAMES, false).text).toBe('演示数据载入');
    expect(summarise('zh-CN', line(T, 'shelter.move: 转入', 'shelter', 's'), NAMES, false).text).toBe('调拨：转入');
  });

  it('lists newest first, the first record write as the call taken in', () => {
    const rows = journalRows('zh-CN', [line(T, 'incident.upsert', 'incident', INC, 'title'), line(T + 1000, 'response.start: dongchang-flood Ⅳ'), line(T + 2000, 'incident.upsert', 'incident', INC, 'relocated')], NAMES);
    expect(rows.map((r) => [r.time, r.kind, r.text])).toEqual([
      ['11-23 12:37:12', 'incident', '事件信息更新：转移安置'],
      ['11-23 12:37:11', 'decision', '启动Ⅳ级响应 · 东昌区防汛抗旱应急预案'],
      ['11-23 12:37:10', 'incident', '接报登记（事件建立）'],
    ]);
    expect(beijingClock(Date.parse('2026-11-23T16:30:05Z'))).toBe('11-24 00:30:05');
  });
});
