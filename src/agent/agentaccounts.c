/*
 * agentaccounts.c: user passwords (/etc/shadow) and SSH authorized keys
 * (~user/.ssh/authorized_keys) inside the guest (agentguest.h).
 *
 * Users are the guest's /etc/passwd entries (read directly: no name
 * service module is loaded inside the guest). Files are replaced
 * atomically, keeping the mode and owner a guest expects: shadow as it
 * was, .ssh 0700 and authorized_keys 0600 owned by the user. Below the
 * user's home nothing is followed: a .ssh or authorized_keys that is a
 * symlink is refused, so a user cannot aim the agent at another file.
 *
 * Locking: every change runs under guest->accountLock and holds the
 * guest's /etc/.pwd.lock (fcntl, as shadow-utils' lckpwdf takes it).
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "agentguestpriv.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("agent.accounts");

#define AGENT_ACCOUNTS_FILE_MAX QEMU_AGENT_MESSAGE_MAX
#define AGENT_PWD_LOCK_WAIT_MS 3000

typedef struct {
    uid_t uid;
    gid_t gid;
    char *home;
} agentUser;

static void
agentUserClear(agentUser *u)
{
    g_free(u->home);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(agentUser, agentUserClear);


static int
agentCheckUserName(const char *user)
{
    if (!*user || strpbrk(user, ":\n\r/") || user[0] == '-' || user[0] == '+') {
        virReportError(VIR_ERR_INVALID_ARG, "invalid user name '%s'", user);
        return -1;
    }
    return 0;
}


/* The user's /etc/passwd entry. */
static int
agentLookupUser(agentGuest *guest, const char *user, agentUser *out)
{
    g_autofree char *text = agentGuestReadFile(guest, "etc/passwd", AGENT_ACCOUNTS_FILE_MAX, NULL);
    g_auto(GStrv) lines = NULL;

    if (agentCheckUserName(user) < 0)
        return -1;
    if (!text) {
        virReportSystemError(errno, "%s", "cannot read the guest's /etc/passwd");
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", 7);
        char *end;

        if (g_strv_length(f) < 7 || strcmp(f[0], user) != 0)
            continue;
        out->uid = (uid_t)strtoul(f[2], &end, 10);
        if (*end || !*f[2])
            break;
        out->gid = (gid_t)strtoul(f[3], &end, 10);
        if (*end || !*f[3])
            break;
        out->home = g_strdup(f[5]);
        if (!*out->home || out->home[0] != '/') {
            virReportError(VIR_ERR_OPERATION_FAILED, "user '%s' has no home directory", user);
            agentUserClear(out);
            return -1;
        }
        return 0;
    }
    virReportError(VIR_ERR_INVALID_ARG, "user '%s' does not exist in the guest", user);
    return -1;
}


/* The guest's password file lock, as lckpwdf(3) takes it: -1 (reported)
 * when another holder keeps it beyond a few seconds. */
static int
agentLockPasswd(int etcfd)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    gint64 deadline = g_get_monotonic_time() + AGENT_PWD_LOCK_WAIT_MS * 1000LL;
    int fd = openat(etcfd, ".pwd.lock", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0) {
        virReportSystemError(errno, "%s", "cannot open the guest's /etc/.pwd.lock");
        return -1;
    }
    while (fcntl(fd, F_SETLK, &fl) < 0) {
        if ((errno != EAGAIN && errno != EACCES && errno != EINTR) ||
            g_get_monotonic_time() >= deadline) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "the guest's password files are locked (/etc/.pwd.lock)");
            close(fd);
            return -1;
        }
        g_usleep(20 * 1000);
    }
    return fd;
}


/* A change of the account files holds the guest's account lock and its
 * /etc/.pwd.lock from Begin to End; etcfd is the guest's /etc. */
typedef struct {
    agentGuest *guest;
    int etcfd;
    int lockfd;
} agentAccountsChange;

static int
agentAccountsBegin(agentGuest *guest, agentAccountsChange *chg)
{
    chg->guest = guest;
    chg->lockfd = -1;
    g_mutex_lock(&guest->accountLock);
    if ((chg->etcfd = agentGuestOpen(guest, "etc", O_RDONLY | O_DIRECTORY, 0)) < 0)
        virReportSystemError(errno, "%s", "cannot open the guest's /etc");
    else if ((chg->lockfd = agentLockPasswd(chg->etcfd)) >= 0)
        return 0;
    VIR_FORCE_CLOSE(chg->etcfd);
    g_mutex_unlock(&guest->accountLock);
    return -1;
}


static void
agentAccountsEnd(agentAccountsChange *chg)
{
    VIR_FORCE_CLOSE(chg->lockfd);
    VIR_FORCE_CLOSE(chg->etcfd);
    g_mutex_unlock(&chg->guest->accountLock);
}


/* ------------------------------------------------------------------ */
/* Passwords                                                           */

static char *
agentHashPassword(const char *password)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data data;
    const char *hash;

    /* SHA-512, salt from the kernel's random source */
    if (!crypt_gensalt_rn("$6$", 0, NULL, 0, salt, sizeof(salt))) {
        virReportSystemError(errno, "%s", "cannot make a password salt");
        return NULL;
    }
    memset(&data, 0, sizeof(data));
    hash = crypt_rn(password, salt, &data, sizeof(data));
    if (!hash || hash[0] == '*') {
        virReportSystemError(errno ? errno : EINVAL, "%s", "cannot hash the password");
        return NULL;
    }
    return g_strdup(hash);
}


int
agentGuestSetUserPassword(agentGuest *guest, const char *user, const char *password,
                          bool crypted)
{
    g_auto(agentUser) u = { 0 };
    g_autofree char *hash = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    long days = (long)(time(NULL) / 86400);
    agentAccountsChange chg;
    bool found = false;
    struct stat st;
    int fd = -1;
    int ret = -1;

    if (strpbrk(password, "\n\r") || (crypted && (strchr(password, ':') || !*password))) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       crypted ? "invalid password hash" : "the password contains a line break");
        return -1;
    }
    if (agentLookupUser(guest, user, &u) < 0)
        return -1;
    if (!(hash = crypted ? g_strdup(password) : agentHashPassword(password)))
        return -1;

    if (agentAccountsBegin(guest, &chg) < 0)
        return -1;
    if ((fd = openat(chg.etcfd, "shadow", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
        fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        virReportSystemError(fd < 0 ? errno : EINVAL, "%s", "cannot read the guest's /etc/shadow");
        goto cleanup;
    }
    if (!(text = virFileReadFD(fd, AGENT_ACCOUNTS_FILE_MAX, NULL))) {
        virReportSystemError(errno, "%s", "cannot read the guest's /etc/shadow");
        goto cleanup;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", -1);

        if (!lines[i][0] && !lines[i + 1])
            break;      /* the final newline */
        if (!found && g_strv_length(f) >= 3 && strcmp(f[0], user) == 0) {
            g_free(f[1]);
            f[1] = g_strdup(hash);
            g_free(f[2]);
            f[2] = g_strdup_printf("%ld", days);
            found = true;
            g_autofree char *line = g_strjoinv(":", f);
            g_string_append_printf(out, "%s\n", line);
        } else {
            g_string_append_printf(out, "%s\n", lines[i]);
        }
    }
    if (!found)
        g_string_append_printf(out, "%s:%s:%ld:0:99999:7:::\n", user, hash, days);
    if (agentWriteAtomicAt(chg.etcfd, "shadow", "the guest's /etc/shadow", out->str, out->len,
                           st.st_mode & 07777, st.st_uid, st.st_gid) < 0)
        goto cleanup;
    VIR_INFO("password of '%s' changed", user);
    ret = 0;

 cleanup:
    VIR_FORCE_CLOSE(fd);
    agentAccountsEnd(&chg);
    return ret;
}


/* ------------------------------------------------------------------ */
/* SSH authorized keys                                                 */

/* An empty key is nothing to add or remove (virsh sends one for the last
 * newline of its file); a key may not be a comment or span lines. */
static int
agentCheckKeys(char **keys, unsigned int nkeys)
{
    for (unsigned int i = 0; i < nkeys; i++) {
        const char *k = keys[i];

        if (*k && (strpbrk(k, "\n\r") || k[0] == '#' || g_ascii_isspace(k[0]))) {
            virReportError(VIR_ERR_INVALID_ARG, "invalid SSH public key '%s'", k);
            return -1;
        }
    }
    return 0;
}


/* The user's ~/.ssh, created (0700, the user's) when asked; -2 (no
 * error) when it does not exist and is not to be created. */
static int
agentOpenSSHDir(agentGuest *guest, const char *user, const agentUser *u, bool create)
{
    struct stat st;
    int homefd, fd;

    if ((homefd = agentGuestOpen(guest, u->home, O_RDONLY | O_DIRECTORY, 0)) < 0) {
        virReportSystemError(errno, "cannot open the home directory of '%s' (%s)", user, u->home);
        return -1;
    }
    fd = agentOpenBeneath(homefd, ".ssh", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0 && errno == ENOENT && create) {
        if (mkdirat(homefd, ".ssh", 0700) < 0 && errno != EEXIST) {
            virReportSystemError(errno, "cannot create %s/.ssh", u->home);
            close(homefd);
            return -1;
        }
        fd = agentOpenBeneath(homefd, ".ssh", O_RDONLY | O_DIRECTORY, 0);
        if (fd >= 0 && (fchown(fd, u->uid, u->gid) < 0 || fchmod(fd, 0700) < 0)) {
            virReportSystemError(errno, "cannot give %s/.ssh to '%s'", u->home, user);
            VIR_FORCE_CLOSE(fd);
            close(homefd);
            return -1;
        }
    }
    if (fd < 0) {
        int err = errno;

        close(homefd);
        if (err == ENOENT && !create)
            return -2;
        if (err == ELOOP || err == EXDEV || err == ENOTDIR)
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "refusing %s/.ssh: it is a symbolic link or not a directory",
                           u->home);
        else
            virReportSystemError(err, "cannot open %s/.ssh", u->home);
        return -1;
    }
    close(homefd);
    if (fstat(fd, &st) < 0 || (st.st_uid != u->uid && st.st_uid != 0)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "refusing %s/.ssh: it belongs to another user",
                       u->home);
        close(fd);
        return -1;
    }
    return fd;
}


/* The lines of authorized_keys (NULL-terminated), none when it does not
 * exist. NULL with an error. */
static char **
agentReadKeyLines(int sshfd, const char *home)
{
    g_autofree char *text = NULL;
    struct stat st;
    int fd = agentOpenBeneath(sshfd, "authorized_keys", O_RDONLY, 0);
    char **lines;
    size_t n;

    if (fd < 0 && errno == ENOENT)
        return g_new0(char *, 1);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd < 0 && (errno == ELOOP || errno == EXDEV))
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "refusing %s/.ssh/authorized_keys: it is a symbolic link", home);
        else if (fd >= 0)
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "refusing %s/.ssh/authorized_keys: not a regular file", home);
        else
            virReportSystemError(fd < 0 ? errno : EINVAL,
                                 "cannot read %s/.ssh/authorized_keys", home);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    text = virFileReadFD(fd, AGENT_ACCOUNTS_FILE_MAX, NULL);
    if (!text) {
        virReportSystemError(errno, "cannot read %s/.ssh/authorized_keys", home);
        close(fd);
        return NULL;
    }
    close(fd);
    lines = g_strsplit(text, "\n", -1);
    /* no empty last line for the final newline; no CR of CRLF files */
    n = g_strv_length(lines);
    if (n > 0 && !*lines[n - 1]) {
        g_free(lines[n - 1]);
        lines[n - 1] = NULL;
    }
    for (size_t i = 0; lines[i]; i++)
        g_strchomp(lines[i]);
    return lines;
}


static bool
agentIsKeyLine(const char *line)
{
    return *line && line[0] != '#';
}


int
agentGuestSSHGetKeys(agentGuest *guest, const char *user,
                     qemu_agent_ssh_get_authorized_keys_ret *ret)
{
    g_auto(agentUser) u = { 0 };
    g_auto(GStrv) lines = NULL;
    GPtrArray *keys;
    int sshfd;

    if (agentLookupUser(guest, user, &u) < 0)
        return -1;
    if ((sshfd = agentOpenSSHDir(guest, user, &u, false)) < 0)
        return sshfd == -2 ? 0 : -1;    /* no ~/.ssh: no keys */
    lines = agentReadKeyLines(sshfd, u.home);
    close(sshfd);
    if (!lines)
        return -1;
    keys = g_ptr_array_new();
    for (size_t i = 0; lines[i]; i++) {
        if (!agentIsKeyLine(lines[i]))
            continue;
        if (keys->len == QEMU_AGENT_SSH_KEYS_MAX || strlen(lines[i]) >= QEMU_AGENT_SSH_KEY_MAX) {
            g_ptr_array_set_free_func(keys, g_free);
            g_ptr_array_free(keys, TRUE);
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "%s/.ssh/authorized_keys holds more keys (or longer ones) than "
                           "the agent can return", u.home);
            return -1;
        }
        g_ptr_array_add(keys, g_strdup(lines[i]));
    }
    ret->keys.keys_len = keys->len;
    ret->keys.keys_val = (qemu_agent_ssh_key *)g_ptr_array_free(keys, FALSE);
    return 0;
}


static bool
agentKeyListed(char **list, unsigned int n, const char *key)
{
    for (unsigned int i = 0; i < n; i++) {
        if (strcmp(list[i], key) == 0)
            return true;
    }
    return false;
}


/* Add (or with reset: set) or remove keys. */
static int
agentChangeKeys(agentGuest *guest, const char *user, char **keys, unsigned int nkeys,
                bool remove, bool reset)
{
    g_auto(agentUser) u = { 0 };
    g_auto(GStrv) lines = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    g_autofree char *what = NULL;
    agentAccountsChange chg;
    int sshfd = -1;
    int ret = -1;

    if (agentCheckKeys(keys, nkeys) < 0 || agentLookupUser(guest, user, &u) < 0)
        return -1;
    what = g_strdup_printf("%s/.ssh/authorized_keys", u.home);

    if (agentAccountsBegin(guest, &chg) < 0)
        return -1;
    if ((sshfd = agentOpenSSHDir(guest, user, &u, !remove)) < 0) {
        if (sshfd == -2)
            ret = 0;    /* no ~/.ssh: nothing to remove */
        goto cleanup;
    }
    if (!(lines = reset ? g_new0(char *, 1) : agentReadKeyLines(sshfd, u.home)))
        goto cleanup;
    for (size_t i = 0; lines[i]; i++) {
        if (remove && agentIsKeyLine(lines[i]) && agentKeyListed(keys, nkeys, lines[i]))
            continue;
        g_ptr_array_add(kept, lines[i]);
    }
    for (size_t i = 0; i < kept->len; i++)
        g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(kept, i));
    for (unsigned int i = 0; !remove && i < nkeys; i++) {
        if (*keys[i] && !agentKeyListed((char **)kept->pdata, kept->len, keys[i]) &&
            !agentKeyListed(keys, i, keys[i]))
            g_string_append_printf(out, "%s\n", keys[i]);
    }
    if (agentWriteAtomicAt(sshfd, "authorized_keys", what, out->str, out->len, 0600,
                           u.uid, u.gid) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    VIR_FORCE_CLOSE(sshfd);
    agentAccountsEnd(&chg);
    return ret;
}


int
agentGuestSSHAddKeys(agentGuest *guest, const char *user, char **keys, unsigned int nkeys,
                     bool reset)
{
    return agentChangeKeys(guest, user, keys, nkeys, false, reset);
}


int
agentGuestSSHRemoveKeys(agentGuest *guest, const char *user, char **keys, unsigned int nkeys)
{
    return agentChangeKeys(guest, user, keys, nkeys, true, false);
}
