import cronstrue from 'cronstrue';

/**
 * A cron schedule as Kubernetes reads it (a CronJob's schedule: five fields or a macro, parsed like
 * robfig/cron's standard parser), checked field by field and said in words.
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of the month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: 'day of the week', min: 0, max: 6, names: DAYS, offset: 0, question: true },
] as const;

type Field = (typeof FIELDS)[number];

function value(text: string, f: Field): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const names = 'names' in f ? (f.names as readonly string[]) : null;
  const i = names ? names.indexOf(text.toUpperCase()) : -1;
  return i >= 0 && 'offset' in f ? i + f.offset : null;
}

/** Why one field is wrong, or null. */
function fieldProblem(text: string, f: Field): string | null {
  for (const part of text.split(',')) {
    const [range = '', step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `the ${f.name} "${part}" has a step that is not a whole number above 0`;
    if (range === '*' || ('question' in f && range === '?')) continue;
    const ends = range.split('-');
    if (ends.length > 2 || ends.some((e) => e === '')) return `the ${f.name} "${part}" is not a number, a range a-b or *`;
    const nums = ends.map((e) => value(e, f));
    if (nums.some((n) => n === null)) return `the ${f.name} "${part}" is not a number${'names' in f ? ' or a name' : ''}`;
    for (const n of nums as number[]) if (n < f.min || n > f.max) return `the ${f.name} ${n} is outside ${f.min}-${f.max}`;
    if (nums.length === 2 && nums[0]! > nums[1]!) return `the ${f.name} range "${range}" runs backwards`;
  }
  return null;
}

export interface ScheduleCheck {
  ok: boolean;
  /** The schedule in words ("Every 5 minutes"), or what is wrong with it. */
  text: string;
}

/** Checks a schedule as Kubernetes would and says it in words. */
export function checkSchedule(schedule: string): ScheduleCheck {
  const s = schedule.trim();
  if (!s) return { ok: false, text: 'Give a schedule, e.g. "*/5 * * * *" (every five minutes) or @hourly.' };
  if (/^(CRON_)?TZ=/i.test(s)) return { ok: false, text: 'Kubernetes refuses a time zone in the schedule; schedules run in the cluster’s time (usually UTC).' };
  const expr = s.startsWith('@') ? MACROS[s.toLowerCase()] : s;
  if (!expr) return { ok: false, text: `"${s}" is not a macro Kubernetes knows; use @hourly, @daily, @weekly, @monthly or @yearly, or five fields.` };
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) return { ok: false, text: `Use five fields "minute hour day-of-month month day-of-week" (this has ${parts.length}), e.g. "*/5 * * * *".` };
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i]!, FIELDS[i]!);
    if (problem) return { ok: false, text: `Not a valid schedule: ${problem}.` };
  }
  try {
    return { ok: true, text: `${cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: true })} (cluster time, usually UTC).` };
  } catch (e) {
    return { ok: false, text: `Not a valid schedule: ${String(e)}` };
  }
}

/** Schedules to pick from. */
export const COMMON_SCHEDULES: Array<{ label: string; schedule: string }> = [
  { label: 'Every minute', schedule: '* * * * *' },
  { label: 'Every 5 minutes', schedule: '*/5 * * * *' },
  { label: 'Every hour', schedule: '@hourly' },
  { label: 'Every day at midnight', schedule: '@daily' },
  { label: 'Weekdays at 09:00', schedule: '0 9 * * 1-5' },
  { label: 'Every Monday at 08:30', schedule: '30 8 * * MON' },
];
