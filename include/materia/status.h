/*
** materia/status.h — the status codes every public Materia function returns.
**
** Functions return MT_OK (0) on success and a negative MT_E* code on failure.
** mt_strerror() gives a stable, human-readable sentence for each code; the
** sentence is a static string and never needs freeing.
*/
#ifndef MATERIA_STATUS_H
#define MATERIA_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mt_status {
    MT_OK            =  0,
    MT_ENOMEM        = -1,  /* an allocation failed */
    MT_EIO           = -2,  /* a read, write, open or mmap failed; errno is kept */
    MT_EFORMAT       = -3,  /* input is malformed (a source file, a request body) */
    MT_EMAGIC        = -4,  /* not a Materia knowledge-base file */
    MT_EVERSION      = -5,  /* knowledge-base format version this build cannot read */
    MT_ECHECKSUM     = -6,  /* knowledge-base checksum mismatch: the file is corrupt */
    MT_ETRUNCATED    = -7,  /* knowledge-base shorter than its header says */
    MT_ECORRUPT      = -8,  /* an offset, index or range in the knowledge base is out of bounds */
    MT_ENOTFOUND     = -9,  /* the thing asked for does not exist */
    MT_EINVAL        = -10, /* bad argument from the caller */
    MT_ELIMIT        = -11, /* a size or count limit was reached */
    MT_EEXIST        = -12, /* already exists */
    MT_EDENIED       = -13, /* not allowed for this caller */
    MT_EBUSY         = -14  /* temporarily unavailable; try again */
} mt_status;

/* A static sentence describing `status`. Never NULL. */
const char *mt_strerror(int status);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_STATUS_H */
