// belay-sandbox-init: process 1 of a sandboxed run's private PID namespace.
//
//   belay-sandbox-init --status-fd N [--cgroup PROCS_FILE] -- program [arguments...]
//
// It joins the student's memory cgroup (when given), starts `program` as its only child, reaps every process
// of the namespace, and when `program` ends writes how it ended ("exit N" or "signal N") to descriptor N, which
// the program never inherits. Then it exits, and the kernel kills every process left in the namespace (daemons,
// zombie-leader thread groups, anything that escaped its process group): that is the guarantee that nothing of
// a run outlives it.
//
// The program runs as process 2, not 1, so signals keep their ordinary meaning for it (process 1 ignores the
// signals it has no handler for, which would hide SIGABRT, SIGXCPU and SIGXFSZ).
//
// Exit status of the init itself: the program's status (128 + signal when it was killed), 125 when the init
// could not start it.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail(const char *what) {
    fprintf(stderr, "belay-sandbox-init: %s: %s\n", what, strerror(errno));
    _exit(125);
}

int main(int argc, char **argv) {
    int status_fd = -1;
    const char *cgroup = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "--status-fd") == 0 && i + 1 < argc) { status_fd = atoi(argv[++i]); continue; }
        if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) { cgroup = argv[++i]; continue; }
        fprintf(stderr, "belay-sandbox-init: unknown argument %s\n", argv[i]);
        return 125;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: belay-sandbox-init --status-fd N [--cgroup PROCS_FILE] -- program [arguments...]\n");
        return 125;
    }
    if (status_fd >= 0 && fcntl(status_fd, F_SETFD, FD_CLOEXEC) != 0) fail("status descriptor");
    if (cgroup != NULL) {
        // "0" moves the writing process; every process it starts is then counted in the group.
        int fd = open(cgroup, O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail("open cgroup");
        if (write(fd, "0\n", 2) != 2) fail("join cgroup");
        close(fd);
    }

    sigset_t all, previous;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &previous);
    pid_t child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &previous, NULL);
        execv(argv[i], &argv[i]);
        fprintf(stderr, "belay-sandbox-init: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }

    int status = 0;
    for (;;) {
        int s = 0;
        pid_t pid = waitpid(-1, &s, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            fail("wait");
        }
        if (pid == child) { status = s; break; }
    }
    if (status_fd >= 0) {
        char line[32];
        int n = WIFSIGNALED(status) ? snprintf(line, sizeof line, "signal %d\n", WTERMSIG(status))
                                    : snprintf(line, sizeof line, "exit %d\n", WEXITSTATUS(status));
        if (write(status_fd, line, (size_t)n) < 0) { /* the grader is gone; nothing to tell */ }
        close(status_fd);
    }
    // Returning from process 1 kills the rest of the namespace.
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
