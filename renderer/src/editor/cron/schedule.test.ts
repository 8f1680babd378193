import { describe, expect, it } from 'vitest';
import { CronSchedule } from '../../../../shared/contract/functions';
import { checkSchedule, COMMON_SCHEDULES } from './schedule';

describe('cron schedule in words', () => {
  it('says valid schedules in words', () => {
    expect(checkSchedule('*/5 * * * *')).toEqual({ ok: true, text: 'Every 5 minutes, every hour, every day (cluster time, usually UTC).' });
    expect(checkSchedule('@daily').text).toMatch(/^At 00:00/);
    expect(checkSchedule('0 9 * * 1-5').text).toMatch(/09:00.*Monday through Friday/);
    expect(checkSchedule('30 8 * * MON').ok).toBe(true);
  });

  it('refuses what Kubernetes refuses, saying which field is wrong', () => {
    expect(checkSchedule('61 * * * *')).toEqual({ ok: false, text: 'Not a valid schedule: the minute 61 is outside 0-59.' });
    expect(checkSchedule('* 24 * * *').text).toMatch(/hour 24 is outside 0-23/);
    expect(checkSchedule('* * 0 * *').text).toMatch(/day of the month 0 is outside 1-31/);
    expect(checkSchedule('* * * 13 *').text).toMatch(/month 13/);
    expect(checkSchedule('* * * * 7').text).toMatch(/day of the week 7 is outside 0-6/);
    expect(checkSchedule('*/0 * * * *').text).toMatch(/step/);
    expect(checkSchedule('5-1 * * * *').text).toMatch(/runs backwards/);
    expect(checkSchedule('* * * *').text).toMatch(/this has 4/);
    expect(checkSchedule('@every 5m').text).toMatch(/not a macro/);
    expect(checkSchedule('TZ=UTC * * * * *').text).toMatch(/time zone/);
    expect(checkSchedule('').ok).toBe(false);
  });

  it('offers common schedules that the contract and this check both accept', () => {
    for (const c of COMMON_SCHEDULES) {
      expect(checkSchedule(c.schedule).ok).toBe(true);
      expect(CronSchedule.safeParse(c.schedule).success).toBe(true);
    }
  });
});
