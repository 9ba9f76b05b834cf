/*
 * vnclientpriv.h: what the client library shows its own tests: the RPC
 * objects under a connection, for calls the API does not make (unknown
 * procedure numbers, raw procedures, refused arguments).
 */
#pragma once

#include "vnclient.h"
#include "virnetclient.h"
#include "virnetclientprogram.h"

/* No new references: valid while conn is. */
virNetClient *vnConnectGetNetClient(vnConnect *conn);
virNetClientProgram *vnConnectGetRemoteProgram(vnConnect *conn);
/* What CONNECT_OPEN was given, and the socket path or host:port used. */
const char *vnConnectGetOpenURI(vnConnect *conn);
const char *vnConnectGetAddress(vnConnect *conn);
/* Features the server announced at open (10 keepalive, 14 event callback). */
bool vnConnectHasFeature(vnConnect *conn, int feature);
/* The server's callback ID behind an API registration, or -1. */
int vnConnectGetServerCallbackID(vnConnect *conn, int callbackID);
