/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host-costs: what the host's primitives that hwtlb is built on cost, in
 * microseconds per page, measured the way hwtlb uses them:
 *
 *   map         mmap(MAP_SHARED | MAP_FIXED) of one page of a memfd over a
 *               PROT_NONE reservation, and a write through it (a window
 *               page getting mapped, and its host page fault);
 *   zap         mmap(PROT_NONE, MAP_FIXED) over a mapped, touched page
 *               (a window page getting unmapped);
 *   fault+map   a write to a reserved page whose SIGSEGV handler maps it,
 *               then returns so that the write runs again (a first touch);
 *   ... busy    the same while another thread of the process runs on
 *               another CPU, as the other vCPUs do: the host must then
 *               interrupt that CPU to flush its TLB.
 *
 * A page that a window maps and loses again costs fault+map plus zap;
 * the softmmu pays one guest page table walk for it instead.
 *
 * Usage: host-costs [PAGES]      (default 20000 pages per measurement)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long page_size;
static int ram_fd;
static char *window;
static volatile int spinning;

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void map_page(char *p)
{
    if (mmap(p, page_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             ram_fd, 0) == MAP_FAILED) {
        die("mmap of the memfd page");
    }
}

static void zap_page(char *p)
{
    if (mmap(p, page_size, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
             -1, 0) == MAP_FAILED) {
        die("mmap of a reservation");
    }
}

static long pages;

/*
 * The slow path of a first touch: map the page, and let the write retry.
 * A fault anywhere else is a real crash: restore the default action and
 * return, so that it dumps core.
 */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    char *addr = si->si_addr;

    if (addr < window || addr >= window + pages * page_size) {
        signal(SIGSEGV, SIG_DFL);
        return;
    }
    map_page((char *)((unsigned long)addr & ~(page_size - 1)));
}

static void *spin(void *arg)
{
    while (spinning) {
        /* Stay on a CPU with the process's page tables loaded. */
    }
    return NULL;
}

/* Microseconds per page of map, zap and fault+map over @n pages. */
static void measure(long n, const char *suffix)
{
    double t0, t1, t2, t3;
    long i;

    t0 = now();
    for (i = 0; i < n; i++) {
        map_page(window + i * page_size);
        window[i * page_size] = 1;
    }
    t1 = now();
    for (i = 0; i < n; i++) {
        zap_page(window + i * page_size);
    }
    t2 = now();
    for (i = 0; i < n; i++) {
        window[i * page_size] = 1;
    }
    t3 = now();
    for (i = 0; i < n; i++) {
        zap_page(window + i * page_size);
    }
    printf("map%s %.2f\nzap%s %.2f\nfault+map%s %.2f\n",
           suffix, (t1 - t0) / n * 1e6, suffix, (t2 - t1) / n * 1e6,
           suffix, (t3 - t2) / n * 1e6);
}

int main(int argc, char **argv)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
    long n = argc > 1 ? atol(argv[1]) : 20000;
    pthread_t thread;

    pages = n;
    if (n <= 0) {
        fprintf(stderr, "usage: %s [PAGES]\n", argv[0]);
        return 2;
    }
    page_size = sysconf(_SC_PAGESIZE);
    ram_fd = memfd_create("host-costs", 0);
    if (ram_fd < 0 || ftruncate(ram_fd, page_size) < 0) {
        die("memfd");
    }
    window = mmap(NULL, n * page_size, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (window == MAP_FAILED) {
        die("mmap of the window");
    }
    sigaction(SIGSEGV, &sa, NULL);

    printf("# microseconds per page, %ld pages, %ld CPUs online\n",
           n, sysconf(_SC_NPROCESSORS_ONLN));
    measure(n, "");
    spinning = 1;
    if (pthread_create(&thread, NULL, spin, NULL) != 0) {
        die("pthread_create");
    }
    measure(n, " (busy)");
    spinning = 0;
    pthread_join(thread, NULL);
    return 0;
}
