#!/usr/bin/env python3
"""Time spent waiting for a CPU, by thread group, in the operator's and the limit's create windows.

usage: runqueue.py <bench log> <output file>

Start it right after the bench (java -jar appdb-bench.jar ... > <bench log> 2>&1 &). Every 250 ms
it reads /proc/<pid>/task/<tid>/schedstat (CPU time, time waiting on a run queue, timeslices) of
every thread of the bench's JVM, the MariaDB server and the PostgreSQL processes, and notes when the
log announces each create window. When the log says where the results are, it writes, per window
and thread group (JVM threads by name with digits as #; each database server as one group), the CPU,
the run-queue wait and the number of timeslices, in ms per created AppDatabase.

A thread or process that ends counts up to its last reading; PostgreSQL's short-lived backends (the
login checks) are mostly missed. The reading costs a few per cent of one core, in both windows.
Not part of the bench's report: the bench cannot tell its own JVM's threads apart by native thread
id, and this was written to test one explanation (that the operator's window makes every thread
wait longer for a core).
"""
import os
import re
import sys
import time

WINDOWS = [('limitBefore', 'limitBefore: create', 'limitBefore: delete'),
           ('operator', 'operator: create', 'operator: heap after GC'),
           ('limit', 'limit: create', 'limit: delete')]


def processes():
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            comm = open(f'/proc/{pid}/comm').read().strip()
            cmdline = open(f'/proc/{pid}/cmdline', 'rb').read()
        except OSError:
            continue
        if comm == 'java' and b'appdb-bench' in cmdline:
            found[pid] = 'jvm'
        elif comm in ('mariadbd', 'mysqld'):
            found[pid] = 'mariadb'
        elif comm == 'postgres':
            found[pid] = 'postgresql'
    return found


def read(seen):
    for pid, kind in processes().items():
        try:
            tids = os.listdir(f'/proc/{pid}/task')
        except OSError:
            continue
        for tid in tids:
            try:
                name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
                cpu, wait, slices = map(int, open(f'/proc/{pid}/task/{tid}/schedstat').read().split())
            except (OSError, ValueError):
                continue
            group = 'jvm: ' + re.sub(r'[0-9]+', '#', name) if kind == 'jvm' else kind + ' server'
            seen[(pid, tid)] = (group, cpu, wait, slices)


def totals(seen):
    out = {}
    for group, cpu, wait, slices in seen.values():
        t = out.setdefault(group, [0, 0, 0])
        t[0] += cpu
        t[1] += wait
        t[2] += slices
    return out


def main(log_path, out_path):
    seen, marks, count = {}, {}, None
    while True:
        read(seen)
        try:
            log = open(log_path).read()
        except OSError:
            log = ''
        if count is None:
            m = re.search(r'operator: create (\d+) AppDatabases', log)
            count = int(m.group(1)) if m else None
        for window, start, end in WINDOWS:
            for mark in (start, end):
                if mark in log and mark not in marks:
                    marks[mark] = totals(seen)
        if 'results in' in log or 'Exception' in log:
            break
        time.sleep(0.25)
    with open(out_path, 'w') as out:
        for window, start, end in WINDOWS:
            if start not in marks or end not in marks:
                continue
            a, b = marks[start], marks[end]
            out.write(f'{window} create window, ms per AppDatabase (N = {count}): '
                      'CPU, run-queue wait, timeslices, wait per timeslice\n')
            rows = []
            for group, (cpu, wait, slices) in b.items():
                before = a.get(group, [0, 0, 0])
                d = [cpu - before[0], wait - before[1], slices - before[2]]
                if d[0] > 5e6 or d[1] > 5e6:
                    rows.append((d[1], group, d))
            for _, group, (cpu, wait, slices) in sorted(rows, reverse=True):
                out.write(f'  {group:28s} {cpu / 1e6 / count:7.2f} {wait / 1e6 / count:7.2f}'
                          f' {slices / count:7.1f} {wait / 1e6 / max(slices, 1):6.3f}\n')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
