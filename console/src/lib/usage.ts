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
