/*
 * sasl-client.c: virtnet's client (vnConnectOpenAuth) as a command, for
 * the SASL tests (the python scripts in tests/sasl), which run it against virtnetd and
 * libvirtd alike.
 *
 *   sasl-client URI USER PASSWORD [--big BYTES]
 *
 * Opens URI with USER / PASSWORD served to the SASL exchange, lists the
 * domains and prints one line:
 *   OK domains=NAME,NAME encrypted=0|1
 *   ERR CODE DOMAIN MESSAGE
 * With --big, it also defines a domain whose XML carries BYTES bytes of
 * metadata, reads the XML back, compares and undefines it (messages of
 * several SASL packets both ways); a mismatch is "ERR -1 -1 ...".
 * Exit status 0 when it printed OK, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "vnclient.h"
#include "vnclientpriv.h"

/* LeakSanitizer: only leaks inside libsasl2 and its plugins (cyrus-sasl's
 * DIGEST-MD5 plugin keeps its cipher; see tests/test-rpc-sasl.c). The
 * python tests run this with ASAN_OPTIONS=fast_unwind_on_malloc=0 so
 * that the plugin frame below libcrypto is seen. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libsasl2.so\n"
           "leak:/sasl2/lib\n";
}


typedef struct {
    const char *user;
    const char *password;
    int asked;
} saslClientCreds;


static char *
saslClientCred(int type, const char *prompt G_GNUC_UNUSED, void *opaque)
{
    saslClientCreds *creds = opaque;

    creds->asked++;
    switch (type) {
    case VIR_CRED_AUTHNAME:
        return strdup(creds->user);
    case VIR_CRED_PASSPHRASE:
        return strdup(creds->password);
    default:
        return NULL;
    }
}


static int
saslClientError(void)
{
    const virError *err = vnGetLastError();

    printf("ERR %d %d %s\n", err ? err->code : -1, err ? err->domain : -1,
           vnGetLastErrorMessage());
    return 1;
}


static int
saslClientBig(vnConnect *conn, long bytes)
{
    g_autofree char *payload = g_malloc(bytes + 1);
    g_autofree char *xml = NULL;
    char *back = NULL;
    vnDomain *dom;
    int ret = -1;

    for (long i = 0; i < bytes; i++)
        payload[i] = 'a' + (i * 7 + i / 26) % 26;
    payload[bytes] = '\0';
    xml = g_strdup_printf("<domain type='test'><name>sasl-big</name><memory>1024</memory>"
                          "<os><type>hvm</type></os>"
                          "<metadata><x:big xmlns:x='urn:virtnet-sasl'>%s</x:big></metadata>"
                          "</domain>", payload);
    if (!(dom = vnDomainDefineXML(conn, xml)))
        return saslClientError();
    if (!(back = vnDomainGetXMLDesc(dom, 0))) {
        saslClientError();
        goto cleanup;
    }
    if (!strstr(back, payload)) {
        printf("ERR -1 -1 the XML read back lacks the %ld bytes of metadata\n", bytes);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    free(back);
    if (vnDomainUndefine(dom) < 0 && ret == 0) {
        saslClientError();
        ret = -1;
    }
    vnDomainFree(dom);
    return ret;
}


int
main(int argc, char **argv)
{
    saslClientCreds creds;
    vnConnect *conn;
    vnDomain **doms = NULL;
    g_autoptr(GString) names = g_string_new(NULL);
    long big = 0;
    int n;

    if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--big") == 0)) {
        fprintf(stderr, "usage: %s URI USER PASSWORD [--big BYTES]\n", argv[0]);
        return 2;
    }
    if (argc == 6)
        big = atol(argv[5]);
    creds.user = argv[2];
    creds.password = argv[3];
    creds.asked = 0;

    if (!(conn = vnConnectOpenAuth(argv[1], 0, saslClientCred, &creds)))
        return saslClientError();
    if ((n = vnConnectListAllDomains(conn, &doms, 0)) < 0) {
        saslClientError();
        vnConnectClose(conn);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        g_string_append_printf(names, "%s%s", i ? "," : "", vnDomainGetName(doms[i]));
        vnDomainFree(doms[i]);
    }
    free(doms);
    if (big > 0 && saslClientBig(conn, big) < 0) {
        vnConnectClose(conn);
        return 1;
    }
    printf("OK domains=%s encrypted=%d\n", names->str,
           virNetClientIsEncrypted(vnConnectGetNetClient(conn)) ? 1 : 0);
    vnConnectClose(conn);
    return 0;
}
