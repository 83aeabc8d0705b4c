/*
** ziptest.h — small zip archives made in the tests themselves with libzip
** (t/source/ziptest.c), so that no binary fixture is needed: entries stored
** or deflated, encrypted, and byte patches of the headers for the damaged
** and hostile zips the readers must refuse.
*/
#ifndef MT_T_ZIPTEST_H
#define MT_T_ZIPTEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct zt_entry {
    const char *name;
    const void *data;       /* NULL: the name is a folder ("dir/") */
    size_t      len;
    int         store;      /* 1: stored, not deflated */
    uint16_t    encrypt;    /* a ZIP_EM_* method (password "pw"), 0: none */
} zt_entry;

/* Writes a zip of the n entries to path: 1, or 0 on failure. */
int  zt_write(const char *path, const zt_entry *e, size_t n);
/* The bytes of a file (mt_malloc'd, the caller frees), or NULL. */
unsigned char *zt_slurp(const char *path, size_t *len);
/* Writes len bytes to path: 1, or 0. */
int  zt_spit(const char *path, const void *data, size_t len);
/* In both headers (local and central) of the entry called name: sets the
** uncompressed size, or the compression method. Returns how many headers
** were changed (2 when all went well). */
int  zt_patch_size(unsigned char *zip, size_t len, const char *name, uint32_t size);
int  zt_patch_method(unsigned char *zip, size_t len, const char *name, uint16_t method);
/* Renames an entry in both headers to a name of the same length. */
int  zt_patch_name(unsigned char *zip, size_t len, const char *name, const char *to);
/* A fresh folder under $TMPDIR (into buf), or NULL; and its removal, with
** everything in it. */
const char *zt_scratch(char *buf, size_t size);
void zt_rmtree(const char *dir);
/* A file in a folder, and a folder: 1 on success. mkdir -p for folders. */
int  zt_put(const char *dir, const char *name, const void *data, size_t len);

#endif /* MT_T_ZIPTEST_H */
