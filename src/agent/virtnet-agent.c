/*
 * virtnet-agent: the guest agent, running inside a container.
 *
 *   virtnet-agent --listen-fd N [--ns-fd M] [--root DIR] [--no-exec] [--no-power]
 *
 * The LXC controller starts it in the container's PID namespace with a
 * listening UNIX socket (--listen-fd, its path is in the host's state
 * directory) and a pidfd of the container's init (--ns-fd). Before
 * anything else, while it is still single-threaded, the agent enters the
 * init's mount, UTS, network and IPC namespaces: from then on it sees the
 * container as the container sees itself (its root, its host name, its
 * interfaces, its /etc). Its code and libraries were loaded from the host
 * before that, so the container needs no copy of them; nothing is loaded
 * later (no name service modules: the agent reads /etc/passwd itself).
 *
 * It then serves the guest agent program (protocol/qemu_agent_protocol.x)
 * on the socket until it is killed (with the container, or by the
 * controller). --root serves a directory instead of "/" (tests);
 * --no-exec and --no-power turn EXEC and SHUTDOWN off.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "agentguest.h"
#include "agentserver.h"
#include "virerror.h"
#include "virevent.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("agent.main");

static void
usage(const char *argv0)
{
    fprintf(stderr, "usage: %s --listen-fd N [--ns-fd M] [--root DIR] [--no-exec] [--no-power]\n",
            argv0);
}


int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "listen-fd", required_argument, NULL, 'l' },
        { "ns-fd", required_argument, NULL, 'n' },
        { "root", required_argument, NULL, 'r' },
        { "no-exec", no_argument, NULL, 'e' },
        { "no-power", no_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned int flags = AGENT_GUEST_ALLOW_EXEC | AGENT_GUEST_ALLOW_POWER;
    const char *root = "/";
    int listenfd = -1, nsfd = -1, c;
    agentGuest *guest = NULL;
    agentServer *srv = NULL;
    virEventLoop *loop = NULL;
    sigset_t none;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_IGN);

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': listenfd = atoi(optarg); break;
        case 'n': nsfd = atoi(optarg); break;
        case 'r': root = optarg; break;
        case 'e': flags &= ~AGENT_GUEST_ALLOW_EXEC; break;
        case 'p': flags &= ~AGENT_GUEST_ALLOW_POWER; break;
        case 'h': usage(argv[0]); return 0;
        default: usage(argv[0]); return 2;
        }
    }
    if (listenfd < 3 || optind != argc) {
        usage(argv[0]);
        return 2;
    }

    /* Into the container, still single-threaded (mount namespaces demand
     * it); the current and root directories become the container's. */
    if (nsfd >= 0) {
        if (setns(nsfd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC) < 0) {
            fprintf(stderr, "virtnet-agent: cannot enter the container's namespaces: %s\n",
                    g_strerror(errno));
            return 1;
        }
        close(nsfd);
        if (chdir("/") < 0) {
            fprintf(stderr, "virtnet-agent: cannot change to /: %s\n", g_strerror(errno));
            return 1;
        }
    }
    /* Nothing of the host but the socket stays open. */
    if (listenfd != 3) {
        if (dup2(listenfd, 3) < 0)
            return 1;
        close(listenfd);
        listenfd = 3;
    }
    syscall(SYS_close_range, 4U, ~0U, 0U);
    virSetCloseExec(listenfd);

    if (!(guest = agentGuestNew(root, flags)) ||
        !(loop = virEventLoopNew()) ||
        !(srv = agentServerNew(guest, loop)) ||
        agentServerAddListenFD(srv, listenfd) < 0 ||
        agentServerStart(srv) < 0) {
        fprintf(stderr, "virtnet-agent: %s\n", virGetLastErrorMessage());
        return 1;
    }
    fprintf(stderr, "virtnet-agent %s: serving (pid %d in the container)\n",
            agentGuestVersion(), (int)getpid());
    if (virEventLoopRun(loop) < 0)
        VIR_ERROR("event loop failed: %s", virGetLastErrorMessage());
    agentServerFree(srv);
    virEventLoopFree(loop);
    agentGuestFree(guest);
    return 0;
}
