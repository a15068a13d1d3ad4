#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Migration and snapshot test of the guest lab, with hwtlb off and on.
#
# The guest (virt, 2 vCPUs, two NUMA nodes whose second memory backend is
# the larger one) runs memcpy_bw in a loop, so that it writes memory all
# the time.  For each accelerator setting:
#
#   1. migrate the running guest to a file; the migration must complete;
#   2. restore it in a new QEMU (-incoming defer, migrate-incoming): guest
#      RAM, dumped with pmemsave, must be identical on both sides;
#   3. let it run, then savevm, let it run on, loadvm: RAM must be
#      identical to what it was at savevm;
#   4. let the guest run on: memcpy_bw must keep reporting ok=1, and no
#      run of it may report ok=0 on either side.
#
# Prints "PASS: NAME" or "FAIL: NAME: why" per setting, then "N passed,
# N failed"; exits non-zero when a test failed.  No timing is checked.
# QEMU=... picks the QEMU binary (default build/bin/qemu-system-aarch64),
# QEMU_IMG=... qemu-img (default: the one beside QEMU).

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = os.environ.get('QEMU', os.path.join(TOP, 'build/bin/qemu-system-aarch64'))
QEMU_IMG = os.environ.get('QEMU_IMG', os.path.join(
    os.path.dirname(os.path.realpath(QEMU)), 'qemu-img'))
GUEST = os.path.join(TOP, 'build/guest')
RAM_BASE = 0x40000000
NODE_MIB = (256, 512)         # the second backend larger than the first
RESULT = re.compile(r'^RESULT name=memcpy.* ok=(\d)', re.M)


class Fail(Exception):
    pass


class Qmp:
    """A minimal QMP client on a unix socket."""

    def __init__(self, path, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise Fail('no QMP socket ' + path)
                time.sleep(0.2)
        self.file = self.sock.makefile('rw')
        self.file.readline()                        # the greeting
        self.cmd('qmp_capabilities')

    def cmd(self, name, **args):
        self.file.write(json.dumps({'execute': name, 'arguments': args}) + '\n')
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise Fail('QMP connection closed during ' + name)
            reply = json.loads(line)
            if 'error' in reply:
                raise Fail('%s: %s' % (name, reply['error']['desc']))
            if 'return' in reply:
                return reply['return']

    def hmp(self, line):
        out = self.cmd('human-monitor-command', **{'command-line': line})
        if out.strip():
            raise Fail('%s: %s' % (line, out.strip()))

    def wait_migration(self, query, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status = self.cmd(query)['status']
            if status == 'completed':
                return
            if status in ('failed', 'cancelled'):
                raise Fail('%s: migration %s' % (query, status))
            time.sleep(0.5)
        raise Fail('%s: migration did not complete' % query)


def qemu_args(accel, tmp, name):
    m0, m1 = NODE_MIB
    return [QEMU, '-M', 'virt', '-cpu', 'cortex-a72', '-smp', '2',
            '-m', '%dM' % (m0 + m1),
            '-object', 'memory-backend-memfd,id=m0,size=%dM,share=on' % m0,
            '-object', 'memory-backend-memfd,id=m1,size=%dM,share=on' % m1,
            '-numa', 'node,memdev=m0', '-numa', 'node,memdev=m1',
            '-kernel', os.path.join(GUEST, 'Image'),
            '-initrd', os.path.join(GUEST, 'initramfs.cpio.gz'),
            '-append', 'console=ttyAMA0 panic=-1 quiet '
                       'hwtlb.run="while :; do memcpy_bw; done"',
            '-drive', 'if=none,id=snap,format=qcow2,file=%s/snap.qcow2' % tmp,
            '-display', 'none', '-nodefaults', '-no-reboot', '-nic', 'none',
            '-serial', 'file:%s/%s.log' % (tmp, name),
            '-qmp', 'unix:%s/%s.qmp,server=on,wait=off' % (tmp, name),
            '-accel', accel]


def log_file(tmp, name, logs):
    """QEMU's stderr, to be closed by the caller (kept in @logs)."""
    f = open('%s/%s.err' % (tmp, name), 'w')
    logs.append(f)
    return f


def results(tmp, name):
    with open('%s/%s.log' % (tmp, name), errors='replace') as f:
        return [int(ok) for ok in RESULT.findall(f.read())]


def wait_results(tmp, name, count, timeout=300):
    """Wait until the guest has reported @count more memcpy_bw runs."""
    start = len(results(tmp, name))
    deadline = time.time() + timeout
    while len(results(tmp, name)) < start + count:
        if time.time() > deadline:
            raise Fail('%s: no memcpy_bw result in %d s' % (name, timeout))
        time.sleep(0.5)


def run_a_while(qmp, tmp, name):
    """Let the stopped guest run until memcpy_bw reports, then stop it."""
    qmp.cmd('cont')
    wait_results(tmp, name, 1)
    qmp.cmd('stop')


def ram_digest(qmp, tmp):
    m0, m1 = NODE_MIB
    path = '%s/ram.dump' % tmp
    qmp.cmd('pmemsave', val=RAM_BASE, size=(m0 + m1) << 20, filename=path)
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    os.unlink(path)
    return h.hexdigest()


def run(accel, tmp):
    subprocess.run([QEMU_IMG, 'create', '-q', '-f', 'qcow2',
                    '%s/snap.qcow2' % tmp, '64M'], check=True)
    procs = []
    logs = []
    try:
        src = subprocess.Popen(qemu_args(accel, tmp, 'src'),
                               stderr=log_file(tmp, 'src', logs))
        procs.append(src)
        qs = Qmp('%s/src.qmp' % tmp)
        wait_results(tmp, 'src', 1)
        # memcpy_bw dirties memory faster than the default bandwidth limit
        # sends it: allow a long enough last pass to converge every time.
        qs.cmd('migrate-set-parameters', **{'downtime-limit': 60000,
                                            'max-bandwidth': 1 << 40})
        qs.cmd('migrate', uri='file:%s/migration' % tmp)
        qs.wait_migration('query-migrate')
        before = ram_digest(qs, tmp)
        qs.cmd('quit')
        src.wait(60)

        # -S: stay stopped after the migration, for the RAM dump
        dst = subprocess.Popen(qemu_args(accel, tmp, 'dst') +
                               ['-incoming', 'defer', '-S'],
                               stderr=log_file(tmp, 'dst', logs))
        procs.append(dst)
        qd = Qmp('%s/dst.qmp' % tmp)
        qd.cmd('migrate-incoming', uri='file:%s/migration' % tmp)
        qd.wait_migration('query-migrate')
        if ram_digest(qd, tmp) != before:
            raise Fail('RAM differs after the migration')

        # Run first: the block devices are inactive until the VM runs.
        run_a_while(qd, tmp, 'dst')
        qd.hmp('savevm s1')
        saved = ram_digest(qd, tmp)
        run_a_while(qd, tmp, 'dst')
        qd.hmp('loadvm s1')
        if ram_digest(qd, tmp) != saved:
            raise Fail('RAM differs after loadvm')
        qd.cmd('cont')
        wait_results(tmp, 'dst', 1)
        qd.cmd('quit')
        dst.wait(60)
        for name in ('src', 'dst'):
            if 0 in results(tmp, name):
                raise Fail('memcpy_bw reported ok=0 in the %s guest' % name)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for f in logs:
            f.close()


def main():
    if not os.access(QEMU, os.X_OK):
        sys.exit('%s not found: run make build first, or set QEMU=...' % QEMU)
    passed = failed = 0
    for name, accel in (('migration', 'tcg'),
                        ('migration-hwtlb', 'tcg,hwtlb=on,hwtlb-warmup=0')):
        tmp = tempfile.mkdtemp(prefix='hwtlb-migration-')
        try:
            run(accel, tmp)
            print('PASS: %s' % name)
            passed += 1
        except (Fail, subprocess.SubprocessError, OSError) as e:
            print('FAIL: %s: %s' % (name, e))
            for log in ('src.err', 'dst.err', 'src.log', 'dst.log'):
                path = os.path.join(tmp, log)
                if os.path.exists(path):
                    with open(path, errors='replace') as f:
                        tail = f.read().splitlines()[-10:]
                    print('  --- %s:' % log)
                    print('\n'.join('  | ' + line for line in tail))
            failed += 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
