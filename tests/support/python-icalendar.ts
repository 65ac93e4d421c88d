/**
 * A third-party iCalendar parser for tests: Debian's python3-icalendar, run by the system's Python
 * (a Python on PATH, e.g. pyenv's, may not see Debian's packages).
 *
 *   icalendarSummaries(path) → the SUMMARY of every VEVENT in the file, as icalendar reads them
 */
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/python3', 'python3'];

let python: string | null = null;

function pythonWithIcalendar(): string {
  if (python) return python;
  for (const candidate of CANDIDATES) {
    try {
      execFileSync(candidate, ['-c', 'import icalendar'], { stdio: 'ignore' });
      return (python = candidate);
    } catch {
      // not there, or without icalendar: try the next
    }
  }
  throw new Error('python3-icalendar is needed (apt-get install -y python3-icalendar)');
}

export function icalendarSummaries(file: string): string[] {
  const script =
    'import sys, icalendar\n' +
    'cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())\n' +
    'for e in cal.walk("VEVENT"): print(str(e.get("summary")))';
  const out = execFileSync(pythonWithIcalendar(), ['-c', script, file], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  return out.split('\n').filter((line) => line !== '');
}
