#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the raw RESULT lines of scripts/bench.sh into the bench report.

    bench-report.py RAWDIR OUTDIR

RAWDIR holds CONFIG.BASE.RUN.MODE.out files, the two sides of a pair of
boots that ran at the same time, in lockstep: MODE on and MODE BASE (off,
or off4k for hwtlb=off with 4 KiB target pages); and linux-user.RUN.out.
OUTDIR gets latest.json (every sample, host and versions), latest.md
(medians with min-max, the hwtlb speedup as the median of the pairs'
off/on ratios and the share of the linux-user speed), the same table as
reStructuredText in latest.rst, and latest.png (a bar chart of the
speedups, made with gnuplot).  The rst table also replaces what stands
between the BENCH-TABLE markers of README.rst.
"""

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

RESULT = re.compile(r'^RESULT name=(\S+) ok=(\d) seconds=([0-9.]+)')
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_samples(rawdir):
    samples = []
    for f in sorted(os.listdir(rawdir)):
        m = re.fullmatch(r'([^.]+)\.(off|off4k)\.(\d+)\.(off|on|off4k)\.out', f)
        u = re.fullmatch(r'linux-user\.(\d+)\.out', f)
        if m:
            config, base, run, mode = m.group(1), m.group(2), int(m.group(3)), m.group(4)
        elif u:
            config, base, run, mode = 'linux-user', None, int(u.group(1)), 'user'
        else:
            continue
        with open(os.path.join(rawdir, f), errors='replace') as fh:
            for line in fh:
                r = RESULT.match(line.strip())
                if r:
                    samples.append({'config': config, 'base': base,
                                    'mode': mode, 'run': run,
                                    'workload': r.group(1),
                                    'ok': r.group(2) == '1',
                                    'seconds': float(r.group(3))})
    return samples


def command_output(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ''


def shmem_thp():
    """The host's transparent huge page mode for shared memory (memfd)."""
    try:
        with open('/sys/kernel/mm/transparent_hugepage/shmem_enabled') as fh:
            modes = fh.read().split()
    except OSError:
        return 'unknown'
    return next((m[1:-1] for m in modes if m.startswith('[')), 'unknown')


def host_info():
    cpu = ''
    with open('/proc/cpuinfo') as fh:
        for line in fh:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    qemu = os.path.join(TOP, 'build', 'bin', 'qemu-system-aarch64')
    used = os.path.join(TOP, 'build', 'guest', 'packages.used')
    kernel = ''
    if os.path.exists(used):
        with open(used) as fh:
            kernel = next((l.split()[0] + ' ' + l.split()[2] for l in fh
                           if l.startswith('linux-image-')), '')
    return {'cpu': cpu, 'cores': os.cpu_count(), 'host_kernel': platform.release(),
            'shmem_thp': shmem_thp(),
            'qemu': (command_output(qemu, '--version').splitlines() or [''])[0],
            'series': command_output('git', '-C', os.path.join(TOP, 'build', 'qemu'),
                                     'log', '--format=%s', 'series-base..HEAD').splitlines(),
            'guest_kernel': kernel}


def stats(values):
    if not values:
        return None
    return {'median': statistics.median(values), 'min': min(values),
            'max': max(values), 'n': len(values)}


def pair_ratios(samples, config, workload, base):
    """The BASE/on time ratio of each pair of boots of CONFIG in which both
    sides ran WORKLOAD without a failed check (a workload run several times
    in one boot counts with its median)."""
    boots = {}
    for s in samples:
        if (s['config'], s['workload'], s['base']) == (config, workload, base):
            boots.setdefault((s['run'], s['mode']), []).append(s)
    ratios = []
    for (run, mode), on in boots.items():
        off = boots.get((run, base))
        if mode != 'on' or not off or not all(s['ok'] for s in on + off):
            continue
        ratios.append(statistics.median(s['seconds'] for s in off) /
                      statistics.median(s['seconds'] for s in on))
    return ratios


def summarize(samples):
    """{config: {workload: {mode: stats}}}, failed samples left out."""
    table = {}
    for s in samples:
        if s['ok'] and s['mode'] != 'user':
            table.setdefault(s['config'], {}).setdefault(s['workload'], {}) \
                 .setdefault(s['mode'], []).append(s['seconds'])
    user = {}
    for s in samples:
        if s['ok'] and s['mode'] == 'user':
            user.setdefault(s['workload'], []).append(s['seconds'])
    out = {}
    for config, workloads in table.items():
        out[config] = {}
        for w, modes in workloads.items():
            row = {m: stats(v) for m, v in modes.items()}
            row['user'] = stats(user.get(w, []))
            on, lu = row.get('on'), row['user']
            row['speedup'] = stats(pair_ratios(samples, config, w, 'off'))
            # Where hwtlb=on changes the page size: the speedup at the
            # same page size, which is hwtlb's own.
            row['speedup4k'] = stats(pair_ratios(samples, config, w, 'off4k'))
            row['of_user'] = lu['median'] / on['median'] if lu and on else None
            off = row.get('off')
            row['ceiling'] = off['median'] / lu['median'] if lu and off else None
            out[config][w] = row
    return out


def fmt_stats(st):
    if not st:
        return 'n/a'
    return f"{st['median']:.3f} ({st['min']:.3f}-{st['max']:.3f})"


def fmt_ratio(x, suffix='x'):
    return f'{x:.2f}{suffix}' if x is not None else 'n/a'


def fmt_speedup(st):
    if not st:
        return 'n/a'
    return f"{st['median']:.2f}x ({st['min']:.2f}-{st['max']:.2f})"


def markdown(summary, info, failed, runs):
    lines = [f"Generated {info['date']} on {info['cpu']} ({info['cores']} cores), "
             f"host shmem_enabled {info['shmem_thp']}, {runs} runs.  Each run "
             "boots hwtlb=on and hwtlb=off at the same time, each pinned to a "
             "host CPU of its own, and starts each workload in both at once.  "
             "Seconds: median (min-max).  Speedup: the "
             "median (min-max) of the runs' off/on time ratios.  Of "
             "linux-user: linux-user time / hwtlb=on time, medians (1.00 = "
             "the ceiling); linux-user ran alone, on one host CPU.  Ceiling: "
             "hwtlb=off time / linux-user time, medians, the speedup that "
             "the linux-user speed would give.", '']
    for config in sorted(summary):
        has4k = any(r.get('off4k') for r in summary[config].values())
        head = ('| workload | hwtlb=off s | hwtlb=on s | speedup | '
                'of linux-user | ceiling |')
        sep = '|---|---|---|---|---|---|'
        if has4k:
            head += ' hwtlb=off, 4 KiB pages s | speedup at 4 KiB |'
            sep += '---|---|'
        lines += [f'### {config}', '', head, sep]
        for w in sorted(summary[config]):
            row = summary[config][w]
            line = (f"| {w} | {fmt_stats(row.get('off'))} | "
                    f"{fmt_stats(row.get('on'))} | {fmt_speedup(row['speedup'])} | "
                    f"{fmt_ratio(row['of_user'], '')} | "
                    f"{fmt_ratio(row['ceiling'])} |")
            if has4k:
                line += (f" {fmt_stats(row.get('off4k'))} | "
                         f"{fmt_speedup(row['speedup4k'])} |")
            lines.append(line)
        lines.append('')
    if failed:
        lines += ['Failed checks (left out of the medians): ' +
                  ', '.join(sorted(failed)), '']
    return '\n'.join(lines)


def rst(summary, info, runs):
    """The table of markdown() as reStructuredText list-tables."""
    lines = [f"Generated {info['date']} on {info['cpu']} ({info['cores']} cores), "
             f"host shmem_enabled {info['shmem_thp']}, {runs} runs, each "
             "a pair of boots at the same time, hwtlb=on and hwtlb=off on a "
             "host CPU each, starting each workload together.  Of "
             "linux-user: linux-user time / hwtlb=on time; ceiling: "
             "hwtlb=off time / linux-user time (medians).", '']
    for config in sorted(summary):
        has4k = any(r.get('off4k') for r in summary[config].values())
        lines += [f'.. list-table:: {config}', '   :header-rows: 1', '',
                  '   * - workload', '     - hwtlb=off s', '     - hwtlb=on s',
                  '     - speedup', '     - of linux-user', '     - ceiling']
        if has4k:
            lines += ['     - hwtlb=off, 4 KiB pages s', '     - speedup at 4 KiB']
        for w in sorted(summary[config]):
            row = summary[config][w]
            cells = [w, fmt_stats(row.get('off')), fmt_stats(row.get('on')),
                     fmt_speedup(row['speedup']), fmt_ratio(row['of_user'], ''),
                     fmt_ratio(row['ceiling'])]
            if has4k:
                cells += [fmt_stats(row.get('off4k')),
                          fmt_speedup(row['speedup4k'])]
            lines.append(f'   * - {cells[0]}')
            lines += [f'     - {c}' for c in cells[1:]]
        lines.append('')
    return '\n'.join(lines)


def update_readme(table):
    """Put the table between the BENCH-TABLE markers of README.rst."""
    readme = os.path.join(TOP, 'README.rst')
    with open(readme) as fh:
        text = fh.read()
    begin, end = '.. BENCH-TABLE-BEGIN\n', '.. BENCH-TABLE-END\n'
    if begin not in text or end not in text:
        return
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(readme, 'w') as fh:
        fh.write(head + begin + '\n' + table + '\n' + end + tail)


def chart(summary, outdir):
    """A grouped bar chart of the speedups with gnuplot, if it is there."""
    configs = sorted(summary)
    workloads = sorted({w for c in configs for w in summary[c]})
    dat = os.path.join(outdir, 'latest.dat')
    with open(dat, 'w') as fh:
        fh.write('workload ' + ' '.join(configs) + '\n')
        for w in workloads:
            vals = [(summary[c].get(w, {}).get('speedup') or {}).get('median')
                    for c in configs]
            fh.write(w + ' ' + ' '.join(f'{v:.3f}' if v else '0' for v in vals) + '\n')
    script = f"""
set terminal pngcairo size 1200,600 noenhanced
set output '{os.path.join(outdir, 'latest.png')}'
set title 'hwtlb=on speedup over hwtlb=off (median of paired runs; 1.0 = no change)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -45 scale 0
set yrange [0:*]
set grid ytics
set key top left
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2
plot for [i=2:{len(configs) + 1}] '{dat}' using i:xtic(1) title columnheader(i)
"""
    try:
        subprocess.run(['gnuplot'], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'bench-report: no chart: gnuplot failed ({e})', file=sys.stderr)
    finally:
        os.unlink(dat)


def main():
    rawdir, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    samples = read_samples(rawdir)
    if not samples:
        sys.exit(f'bench-report: no RESULT lines in {rawdir}')
    info = host_info()
    info['date'] = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    runs = max(s['run'] for s in samples)
    summary = summarize(samples)
    failed = {f"{s['config']}/{s['mode']}/{s['workload']} (run {s['run']})"
              for s in samples
              if not s['ok']}
    with open(os.path.join(outdir, 'latest.json'), 'w') as fh:
        json.dump({'info': info, 'runs': runs, 'summary': summary,
                   'samples': samples}, fh, indent=1, sort_keys=True)
        fh.write('\n')
    md = markdown(summary, info, failed, runs)
    with open(os.path.join(outdir, 'latest.md'), 'w') as fh:
        fh.write(md + '\n')
    table = rst(summary, info, runs)
    with open(os.path.join(outdir, 'latest.rst'), 'w') as fh:
        fh.write(table + '\n')
    update_readme(table)
    chart(summary, outdir)
    print(md)


if __name__ == '__main__':
    main()
