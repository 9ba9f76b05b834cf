/*
 * virapicheck.h: the argument checks of the public-style API files
 * (virconnect.c, virnetworkapi.c, ...), with libvirt's wording. Each
 * reports from the including file's VIR_FROM_THIS (libvirt's API files
 * report from their object's error domain) and names the API function.
 * Private to those files.
 */
#pragma once

#include <string.h>

#include "virconnect.h"
#include "virerror.h"

/* Every entry point: clear the thread's last error, check the connection. */
#define CHECK_CONN(conn, ret) \
    do { \
        virResetLastError(); \
        if (!(conn) || !(conn)->driver) { \
            virReportError(VIR_ERR_INVALID_CONN, "%s", __func__); \
            return ret; \
        } \
    } while (0)

/* The connection and an object handle (code: VIR_ERR_INVALID_NETWORK ...);
 * member is a string the handle cannot lack. */
#define CHECK_OBJECT(conn, obj, member, code, ret) \
    do { \
        CHECK_CONN(conn, ret); \
        if (!(obj) || !(obj)->member) { \
            virReportError(code, "%s", __func__); \
            return ret; \
        } \
    } while (0)

/* libvirt's virCheck{NonNull,NonZero,Positive,NonNegative}Arg: the
 * argument's name and the function's in the message, no prefix. */
#define CHECK_ARG(bad, arg, ret, must) \
    do { \
        if (bad) { \
            virDriverReportInvalidArg(arg, "%s in %s " must, #arg, __func__); \
            return ret; \
        } \
    } while (0)
#define CHECK_NONNULL(arg, ret) CHECK_ARG(!(arg), arg, ret, "must not be NULL")
#define CHECK_NONZERO(arg, ret) CHECK_ARG((arg) == 0, arg, ret, "must not be zero")
#define CHECK_POSITIVE(arg, ret) CHECK_ARG((arg) <= 0, arg, ret, "must be greater than zero")
#define CHECK_NONNEGATIVE(arg, ret) CHECK_ARG((arg) < 0, arg, ret, "must be zero or greater")

/* libvirt's VIR_EXCLUSIVE_FLAGS_*: two flags of the call's flags that
 * exclude each other, named as written */
#define CHECK_EXCLUSIVE_FLAGS(flags, flag1, flag2, ret) \
    do { \
        if (((flags) & (flag1)) && ((flags) & (flag2))) { \
            virDriverReportInvalidArg(ctl, "Flags '%s' and '%s' are mutually exclusive", \
                                      #flag1, #flag2); \
            return ret; \
        } \
    } while (0)

/* A setter's typed parameters (libvirt: read-only refused, params given,
 * nparams > 0) and a getter's (nparams given and >= 0, params given
 * unless *nparams is 0: the caller asks the count). */
#define CHECK_SET_PARAMS(conn, params, nparams, ret) \
    do { \
        CHECK_READONLY(conn, ret); \
        CHECK_NONNULL(params, ret); \
        CHECK_POSITIVE(nparams, ret); \
    } while (0)

#define CHECK_GET_PARAMS(params, nparams, ret) \
    do { \
        CHECK_NONNULL(nparams, ret); \
        CHECK_NONNEGATIVE(*nparams, ret); \
        if (*nparams != 0) \
            CHECK_NONNULL(params, ret); \
    } while (0)

/* libvirt's virCheckNonNullArrayArg and its count */
#define CHECK_ARRAY(arg, count, ret) \
    do { \
        CHECK_NONNEGATIVE(count, ret); \
        if ((count) > 0) \
            CHECK_NONNULL(arg, ret); \
    } while (0)

#define CHECK_READONLY(conn, ret) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", __func__); \
            return ret; \
        } \
    } while (0)

/* The error domain is the API family's, as libvirt's: its snapshot and
 * checkpoint APIs report from their own domains. */
#define NO_SUPPORT(ret) \
    do { \
        virErrorReportFull(strstr(__func__, "Snapshot") ? VIR_FROM_DOMAIN_SNAPSHOT : \
                           strstr(__func__, "Checkpoint") ? VIR_FROM_DOMAIN_CHECKPOINT : \
                           VIR_FROM_THIS, VIR_ERR_NO_SUPPORT, __FILE__, __func__, __LINE__, \
                           "%s", __func__); \
        return ret; \
    } while (0)

/* Forward to a driver table's entry (the table may be NULL), or
 * NO_SUPPORT. */
#define FORWARD_TO(table, entry, ret, ...) \
    do { \
        if (!(table) || !(table)->entry) \
            NO_SUPPORT(ret); \
        return (table)->entry(__VA_ARGS__); \
    } while (0)

/* The plain form of an API that has a ...Flags form: the driver's plain
 * entry, else its flags entry with no flags, as every driver's plain entry
 * would do. */
#define FORWARD_PLAIN_TO(table, entry, flagsEntry, ret, ...) \
    do { \
        if ((table) && (table)->entry) \
            return (table)->entry(__VA_ARGS__); \
        if ((table) && (table)->flagsEntry) \
            return (table)->flagsEntry(__VA_ARGS__, 0); \
        NO_SUPPORT(ret); \
    } while (0)

/* An event registration's checks of the other kinds (libvirt's wording;
 * the domain API's differs): eventID in [0, last), a callback. */
#define CHECK_EVENT_REGISTRATION(eventID, last, cb, ret) \
    do { \
        CHECK_NONNULL(cb, ret); \
        CHECK_NONNEGATIVE(eventID, ret); \
        if ((eventID) >= (last)) { \
            virDriverReportInvalidArg(eventID, "eventID in %s must be less than %d", \
                                      __func__, (last)); \
            return ret; \
        } \
    } while (0)

/* A ListAll call: out may be NULL (the caller wants the count only); the
 * driver always gets a list to fill. The arguments before out are given
 * last, e.g. FORWARD_LIST(drv, entry, free, vols, flags, conn, pool). */
#define FORWARD_LIST(table, entry, listFree, out, flags, ...) \
    do { \
        __typeof__(*(out)) tmp_ = NULL; \
        int n_; \
        \
        if (out) \
            *(out) = NULL; \
        if (!(table) || !(table)->entry) \
            NO_SUPPORT(-1); \
        n_ = (table)->entry(__VA_ARGS__, (out) ? (out) : &tmp_, flags); \
        listFree(tmp_); \
        return n_; \
    } while (0)
