/*
 * faultcalls.c: typed calls of the remote program over the fault tests'
 * raw client, and the latency probe (faultcalls.h).
 */
#include <stdio.h>
#include <glib.h>

#include "faultcalls.h"

char *
faultLXCXML(const char *name, const char *cmd)
{
    g_autofree char *esc = g_markup_escape_text(name, -1);
    g_autofree char *ecmd = g_markup_escape_text(cmd, -1);

    return g_strdup_printf("<domain type='lxc'><name>%s</name>"
                           "<memory unit='KiB'>262144</memory><vcpu>1</vcpu>"
                           "<os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg>"
                           "<initarg>%s</initarg></os>"
                           "<devices><console type='pty'/></devices></domain>", esc, ecmd);
}


int
faultDefine(faultClient *c, const char *xml, remote_dom *dom, char **err)
{
    remote_domain_define_xml_flags_args args = { (char *)xml, 0 };
    remote_domain_define_xml_flags_ret ret = { 0 };
    int rc = faultClientCall(c, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
                             (xdrproc_t)xdr_remote_domain_define_xml_flags_args, &args,
                             (xdrproc_t)xdr_remote_domain_define_xml_flags_ret, &ret, err);

    if (rc == 0 && dom)
        *dom = ret.dom;
    else if (rc == 0)
        xdr_free((xdrproc_t)xdr_remote_domain_define_xml_flags_ret, (char *)&ret);
    return rc;
}


int
faultDomCall(faultClient *c, int proc, remote_dom *dom, char **err)
{
    /* undefine/destroy/create_with_flags share the shape {dom, flags} */
    remote_domain_undefine_flags_args args = { *dom, 0 };

    return faultClientCall(c, proc, (xdrproc_t)xdr_remote_domain_undefine_flags_args, &args,
                           NULL, NULL, err);
}


int
faultLookup(faultClient *c, const char *name, remote_dom *dom)
{
    remote_domain_lookup_by_name_args args = { (char *)name };
    remote_domain_lookup_by_name_ret ret = { 0 };
    int rc = faultClientCall(c, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                             (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args,
                             (xdrproc_t)xdr_remote_domain_lookup_by_name_ret, &ret, NULL);

    if (rc == 0 && dom)
        *dom = ret.dom;
    else if (rc == 0)
        xdr_free((xdrproc_t)xdr_remote_domain_lookup_by_name_ret, (char *)&ret);
    return rc;
}


int
faultListAll(faultClient *c, unsigned int *count)
{
    remote_connect_list_all_domains_args args = { 1, 0 };
    remote_connect_list_all_domains_ret ret = { 0 };
    int rc = faultClientCall(c, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
                             (xdrproc_t)xdr_remote_connect_list_all_domains_args, &args,
                             (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret, NULL);

    if (rc == 0) {
        if (count)
            *count = ret.count;
        xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&ret);
    }
    return rc;
}


int
faultLibVersion(faultClient *c)
{
    remote_connect_get_lib_version_ret ret = { 0 };

    return faultClientCall(c, REMOTE_PROC_CONNECT_GET_LIB_VERSION, NULL, NULL,
                           (xdrproc_t)xdr_remote_connect_get_lib_version_ret, &ret, NULL);
}


faultClient *
faultOpen(faultDaemon *d, const char *uri)
{
    faultClient *c = faultClientConnect(d->sock);

    if (c && faultClientOpen(c, uri) < 0) {
        faultClientFree(c);
        return NULL;
    }
    return c;
}


static gpointer
faultProbeThread(gpointer data)
{
    faultProbe *p = data;

    while (!p->stop) {
        uint64_t t0 = faultNowUs(), dt;

        if (faultLibVersion(p->c) != 0) {
            p->failed = true;
            break;
        }
        dt = faultNowUs() - t0;
        if (dt > p->worstUs)
            p->worstUs = dt;
        p->calls++;
        g_usleep(200);
    }
    return NULL;
}

faultProbe *
faultProbeStart(faultDaemon *d)
{
    faultProbe *p = g_new0(faultProbe, 1);

    if (!(p->c = faultOpen(d, "test:///default"))) {
        g_free(p);
        return NULL;
    }
    p->thread = g_thread_new("probe", faultProbeThread, p);
    return p;
}

void
faultProbeFinish(faultProbe *p)
{
    if (!p || !p->thread)
        return;
    p->stop = true;
    g_thread_join(p->thread);
    p->thread = NULL;
}

void
faultProbeStop(faultProbe *p)
{
    if (!p)
        return;
    faultProbeFinish(p);
    faultClientFree(p->c);
    g_free(p);
}


int
faultGetState(faultClient *c, remote_dom *dom, int *state)
{
    remote_domain_get_state_args args = { *dom, 0 };
    remote_domain_get_state_ret ret = { 0 };
    int rc = faultClientCall(c, REMOTE_PROC_DOMAIN_GET_STATE,
                             (xdrproc_t)xdr_remote_domain_get_state_args, &args,
                             (xdrproc_t)xdr_remote_domain_get_state_ret, &ret, NULL);

    *state = ret.state;
    return rc;
}


