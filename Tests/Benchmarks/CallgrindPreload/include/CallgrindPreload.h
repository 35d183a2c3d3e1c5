#include <signal.h>

/// A copy of the mask to the kernel: see sigsuspend.c.
int sigsuspend(const sigset_t *mask);
