/*
** status.c — sentences for the status codes of materia/status.h.
*/
#include "materia/status.h"

const char *mt_strerror(int status)
{
    switch (status) {
    case MT_OK:         return "success";
    case MT_ENOMEM:     return "out of memory";
    case MT_EIO:        return "input/output error";
    case MT_EFORMAT:    return "malformed input";
    case MT_EMAGIC:     return "not a Materia knowledge-base file (bad magic)";
    case MT_EVERSION:   return "unsupported knowledge-base format version";
    case MT_ECHECKSUM:  return "knowledge-base checksum mismatch (file is corrupt)";
    case MT_ETRUNCATED: return "knowledge-base file is truncated";
    case MT_ECORRUPT:   return "knowledge-base file is corrupt (out-of-bounds reference)";
    case MT_ENOTFOUND:  return "not found";
    case MT_EINVAL:     return "invalid argument";
    case MT_ELIMIT:     return "limit exceeded";
    case MT_EEXIST:     return "already exists";
    case MT_EDENIED:    return "permission denied";
    case MT_EBUSY:      return "busy, try again";
    default:            return "unknown error";
    }
}
