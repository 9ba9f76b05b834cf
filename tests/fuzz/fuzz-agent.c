/*
 * fuzz-agent.c: libFuzzer harness for the guest agent program's decoders
 * and the agent's input checks (protocol/qemu_agent_protocol.x).
 *
 * The first byte picks what the rest is: the arguments of one of the
 * program's calls (what the agent decodes), its reply (what the daemon
 * decodes from an untrusted guest) or the READY event. It is decoded with
 * the generated filter, bounded by the program's limits; what decodes is
 * encoded again and must be no longer (XDR is canonical up to padding,
 * bool/enum values and strings with a NUL inside, which come back
 * shorter), and arguments that decode are handed to the agent's operation
 * on a guest tree made at start-up (accounts, SSH keys, vCPUs, time zone:
 * each must refuse bad input with an error, never crash). EXEC and the
 * power requests are refused there (the guest is made without them).
 *
 * Must never crash, leak or trip a sanitizer. Build and run: see
 * tests/fuzz/run-fuzz.sh (`make fuzz`); the seeds are
 * tests/fuzz/corpus/agent/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>

#include "agentguest.h"
#include "virnetmessage.h"
#include "virnetserverprogram.h"
#include "virnetclientprogram.h"
#include "virerror.h"
#include "virlog.h"
#include "qemu_agent_protocol.h"
#include "qemu_agent_protocol_server.h"
#include "qemu_agent_protocol_client.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static agentGuest *guest;

static void
fuzzPut(const char *root, const char *rel, const char *text)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_mkdir_with_parents(dir, 0755);
    if (!g_file_set_contents(path, text, -1, NULL))
        abort();
}


int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    g_autofree char *root = g_dir_make_tmp("virtnet-fuzz-agent-XXXXXX", NULL);

    if (!root)
        abort();
    virLogSetDefaultPriority(VIR_LOG_ERROR);
    fuzzPut(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                                "alice:x:1000:1000::/home/alice:/bin/sh\n");
    fuzzPut(root, "etc/shadow", "root:*:19000:0:99999:7:::\n");
    fuzzPut(root, "home/alice/.keep", "");
    fuzzPut(root, "sys/devices/system/cpu/present", "0-3\n");
    fuzzPut(root, "sys/devices/system/cpu/online", "0-1\n");
    /* no flags: EXEC and SHUTDOWN are refused */
    if (!(guest = agentGuestNew(root, 0)))
        abort();
    return 0;
}


/* The agent's operation for decoded arguments. */
static void
fuzzRun(int proc, void *args)
{
    qemu_agent_ssh_get_authorized_keys_ret keys = { 0 };
    qemu_agent_set_vcpus_ret vcpus = { 0 };
    qemu_agent_exec_ret ex = { 0 };

    switch (proc) {
    case QEMU_AGENT_PROC_SET_USER_PASSWORD: {
        qemu_agent_set_user_password_args *a = args;
        agentGuestSetUserPassword(guest, a->user, a->password, a->crypted != 0);
        break;
    }
    case QEMU_AGENT_PROC_SSH_GET_AUTHORIZED_KEYS:
        agentGuestSSHGetKeys(guest, ((qemu_agent_ssh_get_authorized_keys_args *)args)->user,
                             &keys);
        xdr_free((xdrproc_t)xdr_qemu_agent_ssh_get_authorized_keys_ret, (char *)&keys);
        break;
    case QEMU_AGENT_PROC_SSH_ADD_AUTHORIZED_KEYS: {
        qemu_agent_ssh_add_authorized_keys_args *a = args;
        /* always a reset: the tree's file stays small */
        agentGuestSSHAddKeys(guest, a->user, a->keys.keys_val, a->keys.keys_len, true);
        break;
    }
    case QEMU_AGENT_PROC_SSH_REMOVE_AUTHORIZED_KEYS: {
        qemu_agent_ssh_remove_authorized_keys_args *a = args;
        agentGuestSSHRemoveKeys(guest, a->user, a->keys.keys_val, a->keys.keys_len);
        break;
    }
    case QEMU_AGENT_PROC_SET_VCPUS:
        agentGuestSetVcpus(guest, args, &vcpus);
        break;
    case QEMU_AGENT_PROC_SHUTDOWN:
        if (agentGuestShutdownCheck(guest, ((qemu_agent_shutdown_args *)args)->mode) == 0)
            abort();    /* refused without the flag, whatever the mode */
        break;
    case QEMU_AGENT_PROC_EXEC:
        if (agentGuestExec(guest, args, &ex) == 0)
            abort();
        xdr_free((xdrproc_t)xdr_qemu_agent_exec_ret, (char *)&ex);
        break;
    default:
        break;
    }
    virResetLastError();
}


/* Decode payload with filter; re-encode what decoded. */
static void
fuzzDecode(int proc, bool isArgs, xdrproc_t filter, size_t typeSize, const uint8_t *payload,
           size_t len)
{
    virNetMessage *msg = virNetMessageNew(false);
    virNetMessage *out;
    void *value;

    if (!filter || filter == (xdrproc_t)(void (*)(void))xdr_void || typeSize == 0) {
        virNetMessageFree(msg);
        return;
    }
    msg->buffer = g_malloc(len + 1);
    memcpy(msg->buffer, payload, len);
    msg->bufferLength = len;
    msg->bufferOffset = 0;
    value = g_malloc0(typeSize);
    if (virNetMessageDecodePayload(msg, filter, value) == 0) {
        out = virNetMessageNew(false);
        if (virNetMessageEncodeHeader(out) < 0 ||
            virNetMessageEncodePayload(out, filter, value) < 0 ||
            out->bufferLength > 28 + len) {
            fprintf(stderr, "proc %d: %zu payload bytes decoded, re-encoding: %s (%zu bytes)\n",
                    proc, len, virGetLastErrorMessage(), out->bufferLength);
            abort();
        }
        virNetMessageFree(out);
        if (isArgs)
            fuzzRun(proc, value);
        xdr_free(filter, value);
    }
    virResetLastError();
    g_free(value);
    virNetMessageFree(msg);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned int sel;
    const virNetServerProgramProc *p;
    const virNetClientProgramEvent *ev;

    if (size < 1)
        return 0;
    sel = data[0];
    switch (sel % 3) {
    case 0:
    case 1:
        p = &qemuAgentProcs[(sel / 3) % qemuAgentNProcs];
        if (sel % 3 == 0)
            fuzzDecode(p->proc, true, p->arg_filter, p->arg_size, data + 1, size - 1);
        else
            fuzzDecode(p->proc, false, p->ret_filter, p->ret_size, data + 1, size - 1);
        break;
    default:
        ev = &qemuAgentClientEvents[(sel / 3) % qemuAgentClientNEvents];
        fuzzDecode(ev->proc, false, ev->msg_filter, ev->msg_len, data + 1, size - 1);
        break;
    }
    return 0;
}
