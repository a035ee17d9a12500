import { describe, expect, it } from 'vitest';
import type { Deadline } from '../src/lib/bindings/Deadline';
import type { FiledReport } from '../src/lib/bindings/FiledReport';
import { addresseeFor, deadlineRow, deadlineRows, refusalText, refusedField } from '../src/lib/components/response/reports';

const T0 = Date.parse('2026-11-23T12:00:00+08:00');
const MIN = 60_000;

function deadline(over: Partial<Deadline> = {}): Deadline {
  return {
    timer: 'nd-initial-2h',
    zh: '自然灾害初报（县级报地市）',
    en: 'Natural-disaster initial report to the city',
    report: 'initial',
    to: '市应急管理局',
    channel: 'written',
    due: '2026-11-23T14:00:00+08:00',
    met_by: null,
    late: false,
    overdue: false,
    source: '应急〔2020〕19号',
    confidence: 'V',
    ...over,
  };
}

function filed(kind: FiledReport['report']['kind'], to: string, channel: FiledReport['report']['channel'], label: string): FiledReport {
  return {
    id: label,
    label,
    report: { kind, number: 1, title: `t ${label}`, to, channel, sections: {}, facts: {} as never, filed_at: '2026-11-23T12:30:00+08:00', filed_by: 'x' },
  };
}

describe('deadline countdown', () => {
  it('counts down to the due time on the page clock', () => {
    expect(deadlineRow('zh-CN', deadline(), T0 + 18 * MIN)).toMatchObject({ state: 'due', minutes: 102, text: '还剩 1 小时 42 分钟' });
    expect(deadlineRow('en', deadline(), T0 + 119.5 * MIN).text).toBe('1 min left');
  });

  it('turns overdue once the due time has passed unmet, and says by how long', () => {
    expect(deadlineRow('zh-CN', deadline(), T0 + 125 * MIN)).toMatchObject({ state: 'overdue', minutes: -5, text: '已超时 5 分钟' });
    expect(deadlineRow('en', deadline(), T0 + 200 * MIN).text).toBe('1 h 20 min overdue');
  });

  it('a deadline met by a report says which, whatever the time', () => {
    expect(deadlineRow('zh-CN', deadline({ met_by: '初报' }), T0 + 500 * MIN)).toMatchObject({ state: 'met', minutes: 0, text: '已由初报报送' });
    expect(deadlineRow('en', deadline({ met_by: '续报一' }), T0).text).toBe('Met by 续报一');
  });

  it('orders the rows by due time, keeping the API order among equal ones', () => {
    const rows = deadlineRows('zh-CN', [deadline({ timer: 'b', due: '2026-11-24T12:00:00+08:00' }), deadline({ timer: 'a' }), deadline({ timer: 'c' })], T0);
    expect(rows.map((r) => r.deadline.timer)).toEqual(['a', 'c', 'b']);
  });
});

describe('the report form', () => {
  it('prefills the addressee and channel from the first open deadline of the kind', () => {
    const deadlines = [
      deadline({ to: '省应急管理厅', due: '2026-11-23T15:00:00+08:00' }),
      deadline({ to: '区政府总值班室', channel: 'phone', due: '2026-11-23T12:30:00+08:00' }),
      deadline({ to: '已报', due: '2026-11-23T12:10:00+08:00', met_by: '初报' }),
      deadline({ report: 'follow_up', to: '市应急管理局（续报）', due: '2026-11-24T12:00:00+08:00' }),
    ];
    expect(addresseeFor({ deadlines, filed: [] }, 'initial')).toEqual({ to: '区政府总值班室', channel: 'phone' });
    expect(addresseeFor({ deadlines, filed: [] }, 'follow_up')).toEqual({ to: '市应急管理局（续报）', channel: 'written' });
  });

  it('falls back to the last report of the kind, then to nobody in writing', () => {
    const f = [filed('follow_up', '甲', 'phone', '续报一'), filed('follow_up', '乙', 'any', '续报二')];
    expect(addresseeFor({ deadlines: [], filed: f }, 'follow_up')).toEqual({ to: '乙', channel: 'any' });
    expect(addresseeFor({ deadlines: [], filed: f }, 'final')).toEqual({ to: '', channel: 'written' });
  });

  it('finds the field an API refusal names, and its words without the prefix', () => {
    const m = 'field `sections.measures`: 初报「已采取的措施」is required';
    expect(refusedField(m)).toBe('measures');
    expect(refusalText(m)).toBe('初报「已采取的措施」is required');
    expect(refusedField('field `to`: a report names who it goes to')).toBe('to');
    expect(refusedField('file the initial report first')).toBeNull();
    expect(refusalText('file the initial report first')).toBe('file the initial report first');
  });
});

describe('a deadline met late', () => {
  it('reads as filed late (迟报), not overdue and not on time', () => {
    const row = deadlineRow('zh-CN', deadline({ met_by: '初报', late: true }), T0 + 300 * MIN);
    expect(row.state).toBe('late');
    expect(row.text).toBe('初报迟报（超过时限后报送）');
    expect(deadlineRow('en', deadline({ met_by: '初报', late: true }), T0).text).toBe('Filed late by 初报');
    expect(deadlineRow('zh-CN', deadline({ met_by: '初报' }), T0).state).toBe('met');
  });
});
