// GET /usage's by_day map as a day-by-day series of the period so far, with the running total.
export interface UsagePoint {
  day: string; // YYYY-MM-DD
  label: string; // dd/mm
  checks: number;
  cumulative: number;
}

export function usageSeries(period: string, byDay: Record<string, number>, today: Date = new Date()): UsagePoint[] {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return [];
  const year = Number(m[1]);
  const month = Number(m[2]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const current = today.getUTCFullYear() === year && today.getUTCMonth() + 1 === month;
  const lastDay = current ? today.getUTCDate() : daysInMonth;
  const points: UsagePoint[] = [];
  let total = 0;
  for (let day = 1; day <= lastDay; day++) {
    const key = `${period}-${String(day).padStart(2, "0")}`;
    const checks = byDay[key] ?? 0;
    total += checks;
    points.push({ day: key, label: `${String(day).padStart(2, "0")}/${m[2]}`, checks, cumulative: total });
  }
  return points;
}

// GET /usage/report: the period picker's bounds and the report's days as chart points (modes stacked, cache split).
export const REPORT_MODES = ["sync", "async", "batch"] as const;
export type ReportMode = (typeof REPORT_MODES)[number];

export interface ReportDayLike {
  date: string;
  checks: number;
  by_mode: Record<string, number>;
  cached: number;
  looked_up: number;
  unattributed?: number;
}

export interface ReportPoint {
  day: string;
  label: string; // dd/mm
  sync: number;
  async: number;
  batch: number;
  unattributed: number;
  cached: number;
  looked_up: number;
  checks: number;
}

/** The current month (UTC) as YYYY-MM: the latest period the API reports. */
export function currentPeriod(today: Date = new Date()): string {
  return `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** A period the API accepts: YYYY-MM, month 01-12, not after the current month (the API answers 422 otherwise). */
export function isReportPeriod(value: string, today: Date = new Date()): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || Number(m[1]) < 2000 || Number(m[2]) < 1 || Number(m[2]) > 12) return false;
  return value <= currentPeriod(today);
}

/** The period one month before or after `period` (the picker's previous/next buttons), or null past today. */
export function shiftPeriod(period: string, months: number, today: Date = new Date()): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return null;
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + months;
  const shifted = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  return isReportPeriod(shifted, today) ? shifted : null;
}

export function reportSeries(days: ReportDayLike[]): ReportPoint[] {
  return days.map((d) => ({
    day: d.date,
    label: `${d.date.slice(8, 10)}/${d.date.slice(5, 7)}`,
    sync: d.by_mode.sync ?? 0,
    async: d.by_mode.async ?? 0,
    batch: d.by_mode.batch ?? 0,
    unattributed: d.unattributed ?? 0,
    cached: d.cached,
    looked_up: d.looked_up,
    checks: d.checks,
  }));
}

/** Share of the period's checks answered from the cache, 0-100 (0 when nothing was counted). */
export function cachedShare(cached: number, checks: number): number {
  return checks > 0 ? Math.round((cached / checks) * 100) : 0;
}
