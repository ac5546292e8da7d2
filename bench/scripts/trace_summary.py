#!/usr/bin/env python3
"""Summarises a burst written by the bench's diagnostic trace (-Dappdb.bench.trace=<dir>).

usage: trace_summary.py <dir>/operator-Ready.tsv [<dir>/limit-Ready.tsv ...]

For each engine: the time between consecutive provisioning steps of an AppDatabase (p50, p90,
mean, in ms), how many were between CLAIM and STATUS (operator) or CLAIM and DONE (limit) on
average per 250 ms, and how many were sent, claimed and done per 500 ms. Then the CPU used per
500 ms, in cores, by the busiest thread groups, the JIT and GC threads and the whole machine.
"""
import collections
import statistics
import sys

ORDER = ['SENT', 'CLAIM', 'SECRET', 'USER', 'DATABASE', 'GRANTS', 'LOGIN_CHECK', 'STATUS', 'DONE']


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float('nan')


def per_bucket(times, width, end):
    return ' '.join(str(sum(1 for t in times if k * width <= t < (k + 1) * width))
                    for k in range(int(end / width) + 1))


def steps(path, suffix):
    first = collections.defaultdict(dict)
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) == 4 and f[1] != 'CPU' and f[3].endswith(suffix):
            t = int(f[0]) / 1e6
            first[f[3]].setdefault(f[2], t)
            first[f[3]][f[2]] = min(first[f[3]][f[2]], t)
    if not first:
        return
    items = list(first.values())
    last = max(i['DONE'] for i in items)
    print(f"== {path} {suffix}: {len(items)} AppDatabases, last done at {last:.0f} ms")
    present = [s for s in ORDER if all(s in i for i in items)]
    for a, b in zip(present, present[1:]):
        d = [i[b] - i[a] for i in items]
        print(f"  {a:>11} -> {b:<11} p50 {pct(d, .5):8.1f}  p90 {pct(d, .9):8.1f}"
              f"  mean {statistics.mean(d):8.1f}")
    end = 'STATUS' if 'STATUS' in present else 'DONE'
    spans = [(i['CLAIM'], i[end]) for i in items]
    occupancy = [sum(max(0, min((k + 1) * 250, y) - max(k * 250, x)) for x, y in spans) / 250
                 for k in range(int(last / 250) + 1)]
    print(f"  between CLAIM and {end}, per 250 ms:", ' '.join(f"{o:.1f}" for o in occupancy))
    for s in ('SENT', 'CLAIM', 'DONE'):
        print(f"  {s.lower()} per 500 ms:", per_bucket([i[s] for i in items], 500, last))


def cpu(path, buckets=12, top=14):
    width = 500e6
    data = collections.defaultdict(collections.Counter)
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) == 4 and f[1] == 'CPU':
            name = f[2]
            if 'vert.x' in name or 'vertx' in name:
                name = 'mock API server (vert.x)'
            elif name.startswith('OkHttp'):
                name = 'OkHttp'
            elif name.startswith('limit-'):
                name = 'limit workers'
            data[int(int(f[0]) // width)][name] += int(f[3])
    if not data:
        return
    n = min(max(data) + 1, buckets)
    total = collections.Counter()
    for b in range(n):
        total.update(data[b])
    print(f"== {path}: CPU in cores per 500 ms")
    for name, _ in total.most_common(top):
        print(f"  {name[:38]:>38} " + ' '.join(f"{data[b][name] / 500e3:5.2f}" for b in range(n)))


for p in sys.argv[1:]:
    for engine in ('-my', '-pg'):
        steps(p, engine)
    cpu(p)
