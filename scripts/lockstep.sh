# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Two guest boots in lockstep, for scripts/bench.sh and scripts/ab.sh;
# sourced, never run.
#
# The guest runs its workloads one after the other in one boot.  Before
# each it prints "=== HWTLB-STEP N" and waits for a line on its console,
# which lockstep() sends to both sides at once: both start each workload
# together, the faster one waiting for the other.  A drift in the host's
# speed, which on a shared cloud machine can reach 2x within seconds, then
# hits both sides alike.

# lockstep_command WORKLOAD...: the guest command that runs each WORKLOAD
# (a program of /opt/hwtlb with its arguments) as one step.
lockstep_command() {
    local cmd="step() { echo === HWTLB-STEP \$1; read -r x; }; " i=0 w
    for w in "$@"; do
        i=$((i + 1))
        cmd+="step $i; $w; "
    done
    echo "$cmd"
}

# steps_reached LOG: how many "=== HWTLB-STEP N" markers LOG holds (the
# digit leaves out the echo of the command itself, "HWTLB-STEP \$1").
steps_reached() {
    local n
    n=$(grep -acE "=== HWTLB-STEP [0-9]" "$1" 2>/dev/null) || true
    echo "${n:-0}"
}

# lockstep STEPS A START-A B START-B: run the commands START-A and START-B
# (split into words) at the same time; each boots a guest whose serial log
# is A.log (B.log) and whose console reads A.in (B.in), which lockstep()
# creates as FIFOs.  Step N starts on both sides once both have reached
# it, or once the other side's guest has ended (then one side runs on
# alone).  Returns when both have ended.
lockstep() {
    local steps=$1 a=$2 start_a=$3 b=$4 start_b=$5 pid_a pid_b step=1 m
    for m in "$a" "$b"; do
        rm -f "$m.in"
        mkfifo "$m.in"
    done
    # Opened for reading and writing, so that neither open waits for the
    # other end, and the guests never see an end of file.
    exec 7<>"$a.in" 8<>"$b.in"
    # 7>&- 8>&-: our ends of the FIFOs are not the guests'.
    # shellcheck disable=SC2086 # the start commands are split into words
    $start_a 7>&- 8>&- &
    pid_a=$!
    # shellcheck disable=SC2086
    $start_b 7>&- 8>&- &
    pid_b=$!
    while [ "$step" -le "$steps" ]; do
        if { [ "$(steps_reached "$a.log")" -ge "$step" ] ||
             ! kill -0 "$pid_a" 2>/dev/null; } &&
           { [ "$(steps_reached "$b.log")" -ge "$step" ] ||
             ! kill -0 "$pid_b" 2>/dev/null; }; then
            echo >&7
            echo >&8
            step=$((step + 1))
        else
            sleep 0.1
        fi
    done
    wait
    exec 7>&- 8>&-
    rm -f "$a.in" "$b.in"
}

# boot_result NAME LABEL: after a guest run whose RESULT lines are in
# NAME.out and whose stderr is NAME.err, add the boot time (init's
# uptime, from guest-run.sh) as a RESULT line, and name the failed
# checks, if any, for the side LABEL.
boot_result() {
    sed -n 's/.*init at \([0-9.]*\) s.*/RESULT name=boot ok=1 seconds=\1 ops=1/p' \
        "$1.err" >> "$1.out"
    if grep -q '^RESULT .* ok=0' "$1.out"; then
        echo "  $2: failed checks: $(grep '^RESULT .* ok=0' "$1.out" | cut -d' ' -f2 | tr '\n' ' ')"
    fi
}
