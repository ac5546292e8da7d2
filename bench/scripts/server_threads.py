#!/usr/bin/env python3
"""The MariaDB server's CPU in each measured window, thread by thread.

usage: server_threads.py <bench log> <bench work dir>

Start it right after the bench (java -jar appdb-bench.jar ... > <bench log> 2>&1 &), with the
bench's scratch directory (its --work, bench/target/bench-work by default) as the second argument;
it picks the mariadbd process with it in its arguments. At each "window open" and "window
closed" line of the log it reads every mariadbd thread's CPU from /proc/<pid>/task/<tid>/stat, and
at each close it prints, for that window, the total and each thread's share in clock ticks
(10 ms each). mariadbd gives all its threads the same name, so threads are told apart by what they
do: the admin connections' two threads carry most of a create window, a background thread runs in
every window at a steady rate, and the login checks run on short-lived or cached threads.

The bench's "database server CPU ms / AppDatabase" is the whole process over the whole window; this
splits it, to see whether a window's extra server CPU comes from the statements (the admin
connections' threads) or from the window being longer (the background threads). A diagnostic, not
part of the bench's report; it reads the log every 20 ms and /proc only at the window edges.
"""
import glob
import re
import sys
import time

from runqueue import processes  # the same search for the bench's processes


def mariadbd(work):
    """The bench's MariaDB server: a mariadbd with the bench's work directory in its arguments."""
    for pid, kind in processes().items():
        try:
            cmdline = open(f'/proc/{pid}/cmdline', 'rb').read().decode(errors='replace')
        except OSError:
            continue
        if kind == 'mariadb' and work in cmdline:
            return pid
    return None


def ticks_by_thread(pid):
    """{tid: utime + stime in clock ticks} of the process's threads alive now."""
    result = {}
    for task in glob.glob(f'/proc/{pid}/task/*'):
        try:
            stat = open(task + '/stat').read()
        except OSError:
            continue  # the thread ended in between
        fields = stat[stat.rindex(')') + 2:].split()
        result[task.rsplit('/', 1)[1]] = int(fields[11]) + int(fields[12])
    return result


def main(log, work):
    done, window, pid, opened = 0, '?', None, None
    while True:
        try:
            lines = open(log, errors='replace').read().split('\n')[:-1]  # whole lines only
        except OSError:
            lines = []
        for line in lines[done:]:
            started = re.match(r'bench: (\w+): (create|delete)', line)
            if started:
                window = started.group(1) + ' ' + started.group(2)
            if 'window open' in line:
                pid = pid or mariadbd(work)
                if pid is None:
                    sys.exit('no mariadbd process with ' + work + ' in its command line')
                opened = (ticks_by_thread(pid), time.time())
            elif 'window closed' in line and opened is not None:
                before, since = opened
                after = ticks_by_thread(pid)
                used = sorted(
                    ((t - before.get(tid, 0), tid) for tid, t in after.items()), reverse=True)
                print(f'== {window}: {time.time() - since:.2f} s, mariadbd ticks: total '
                      f'{sum(u for u, _ in used)}; by thread: '
                      + ' '.join(f'{tid}:{u}' for u, tid in used if u > 0), flush=True)
                opened = None
            if line.startswith('bench: results in'):
                return
        done = len(lines)
        time.sleep(0.02)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
