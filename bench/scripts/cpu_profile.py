#!/usr/bin/env python3
"""Where the CPU goes in the create windows, by async-profiler, for the operator and the limit.

usage: cpu_profile.py <bench log> <libasyncProfiler.so> <output dir> [interval in ms, default 2]

Start it right after the bench (java -jar appdb-bench.jar ... > <bench log> 2>&1 &). It loads
async-profiler into the bench's JVM through `jcmd <pid> JVMTI.agent_load` as soon as the JVM is
there (during the warm-up, so that the JIT has time to recover from the agent's arrival), then
samples on-CPU stacks (`event=cpu`, per thread) from each create window's "window open" line to
its "window closed" line, and writes them as `<window>-create.collapsed` (one line per stack, the
thread first, as async-profiler's `collapsed` format). When the log says where the results are, it
prints each window's CPU per created AppDatabase by kind of work, for the side's own threads:
JOSDK's reconciler pool (`pool-#-thread-#`, `ReconcilerExecutor-*` while in a reconcile) or the
limit's workers (`limit-*`), with the HTTP client's threads (`OkHttp ...`) and fabric8's informer
hand-off threads (`-#-pool-#-thread-#`).
The bench's own watch, which stamps AppDatabases Ready, also runs on threads of those two names,
in every window alike; async-profiler cannot tell one client's threads from another's.

Get the library from Maven Central (any host with Maven):
    mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory=/tmp/ap
    unzip -o /tmp/ap/async-profiler-4.2.jar 'linux-x64/*' -d /tmp/ap

A diagnostic, not part of the bench's report: sampling every 2 ms costs a few per cent of the
CPU, and the figures are samples, not the bench's `/proc` accounting.
"""
import collections
import os
import re
import subprocess
import sys
import time

from runqueue import processes  # the same search for the bench's JVM

WINDOWS = ['limitBefore', 'operator', 'limit']

# Kinds of work, first match wins, tested against the whole stack (root to leaf).
KINDS = [
    ('password hashing (SCRAM, PBKDF2)', r'PBKDF2|/scram/|encodeScram|ScramAuthenticator'),
    ('event write', r'EventRecorder\.'),
    ('status write', r'AppDatabaseReconciler\.updateStatus|ResourceAdapter\.patchStatus'),
    ('finalizer write', r'AppDatabaseReconciler\.withFinalizer'),
    ('Secret write', r'ConnectionSecrets\.|LimitRun\.writeSecret'),
    ('SQL and login check (JDBC, HikariCP)', r'Provisioner\.provision'),
    ('JOSDK: copy of the resource', r'ReconciliationDispatcher\.cloneResource'),
    ('rest of the reconcile (plan, slots)', r'AppDatabaseReconciler\.reconcile'),
    ('watch events read', r'RealWebSocket|WatcherWebSocketListener'),
    ('HTTP calls (OkHttp)', r'RealCall\$AsyncCall|TaskRunner'),
    ('informer hand-off', r'SerialExecutor|SharedProcessor|ProcessorListener'),
    ('JOSDK: dispatch', r'javaoperatorsdk'),
]
SIDES = {
    # JOSDK renames a reconciler thread `ReconcilerExecutor-<controller>-<id>` while it runs a
    # reconcile and gives it back its pool name after.
    'operator': r'^(pool-#-thread-#|ReconcilerExecutor-.*|OkHttp|-#-pool-#-thread-#)$',
    'limit': r'^(limit-.*|OkHttp|-#-pool-#-thread-#)$',
}


def bench_pid():
    return next((pid for pid, kind in processes().items() if kind == 'jvm'), None)


def agent(pid, lib, action):
    # jcmd reads "a=b" as a named argument; the quotes keep async-profiler's options one string.
    out = subprocess.run(['jcmd', pid, 'JVMTI.agent_load', lib, f'"{action}"'],
                         capture_output=True, text=True)
    if 'return code: 0' not in out.stdout:
        sys.exit(f'async-profiler refused "{action}": {out.stdout.strip()} {out.stderr.strip()}')


def group(thread):
    return 'OkHttp' if thread.startswith('OkHttp') else re.sub(r'[0-9]+', '#', thread)


def kinds(path, side_threads):
    """Samples by kind of work, and their total, for the threads matching side_threads."""
    pattern = re.compile(side_threads)
    out, total = collections.Counter(), 0
    for line in open(path):
        stack, _, count = line.rstrip('\n').rpartition(' ')
        frames = stack.split(';')
        m = re.match(r'\[(.*) tid=\d+\]', frames[0])
        g = group(m.group(1) if m else '')
        if not pattern.search(g):
            continue
        count = int(count)
        total += count
        rest = ';'.join(frames[1:])
        own = g.startswith(('pool-', 'ReconcilerExecutor-', 'limit-'))
        other = 'other (reconciler pool or limit workers)' if own else f'other ({g})'
        kind = next((k for k, rx in KINDS if re.search(rx, rest)), other)
        out[kind] += count
    return out, total


def report(out_dir, count, interval_ms):
    tables = {}
    for window in WINDOWS:
        path = os.path.join(out_dir, f'{window}-create.collapsed')
        if os.path.exists(path):
            side = 'operator' if window == 'operator' else 'limit'
            tables[window] = kinds(path, SIDES[side])
    names = sorted({k for t, _ in tables.values() for k in t},
                   key=lambda k: -max(t[k] for t, _ in tables.values()))
    print(f'CPU ms per created AppDatabase (samples x {interval_ms} ms / {count})')
    print('| kind of work | ' + ' | '.join(tables) + ' |')
    print('|---|' + '---:|' * len(tables))
    for k in names:
        cells = ' | '.join(f'{t[k] * interval_ms / count:.2f}' for t, _ in tables.values())
        print(f'| {k} | {cells} |')
    cells = ' | '.join(f'**{n * interval_ms / count:.2f}**' for _, n in tables.values())
    print(f'| all | {cells} |')


def main(log_path, lib, out_dir, interval_ms=2):
    os.makedirs(out_dir, exist_ok=True)
    pid = None
    while pid is None:
        pid = bench_pid()
        time.sleep(0.2)
    agent(pid, lib, 'status')
    done, window, running, count = 0, None, None, None
    while True:
        alive = os.path.exists(f'/proc/{pid}')  # before reading: its last lines are read first
        try:
            lines = open(log_path).read().split('\n')[:-1]  # whole lines only
        except OSError:
            lines = []
        for line in lines[done:]:
            m = re.match(r'bench: (limitBefore|operator|limit): create', line)
            if m:
                window = m.group(1)
            m = re.match(r'N = (\d+) AppDatabases', line)
            if m:
                count = int(m.group(1))
            if line.strip() == 'bench:   window open' and window and running is None:
                agent(pid, lib, f'start,event=cpu,interval={interval_ms}ms,threads')
                running = window
            elif line.strip() == 'bench:   window closed' and running:
                path = os.path.join(out_dir, f'{running}-create.collapsed')
                agent(pid, lib, f'stop,file={path},collapsed')
                running, window = None, None
            elif line.startswith('bench: results in'):
                report(out_dir, count, interval_ms)
                return
        done = len(lines)
        if not alive:
            sys.exit(f'the bench (pid {pid}) ended before it wrote its results')
        time.sleep(0.1)


if __name__ == '__main__':
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], *(int(a) for a in sys.argv[4:]))
