// Preloaded into a Swift process run under valgrind's callgrind (`homeward bench --callgrind`).
//
// valgrind 3.19 edits the signal mask it is given in place (it removes a signal of its own).
// Every async Swift main ends in dispatch_main(), whose signal thread passes libdispatch's
// `static const sigset_t` to sigsuspend: the edit faults on a read-only page and valgrind
// dies. This sigsuspend passes a copy on the stack instead.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CallgrindPreload.h"

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
