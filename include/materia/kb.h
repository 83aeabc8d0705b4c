/*
** materia/kb.h — opening a Materia knowledge base (the file `materia build`
** writes) for reading.
**
** A knowledge base is memory-mapped read-only and fully validated when it is
** opened: the container (magic, version, checksums, section bounds), then
** every core table (each string offset, reference and range is checked
** against the table it points into), then the sections of the engine modules.
** After a successful open, nothing in the file can make a reader step
** outside the map.
**
** Threads: an open mt_kb is immutable; any number of threads may read it at
** once. Opening and closing are not synchronised with readers: close only
** when no thread uses the handle any more.
**
** Pointer lifetime (the LMDB habit): every pointer obtained through a
** knowledge base (strings, records) points into the map and stays valid
** until mt_kb_close. Copy what must outlive the handle.
**
** Replacing the file: `materia build` writes a new file and renames it over
** the old one, so an open handle keeps reading the old, complete file.
** Truncating or rewriting a mapped file in place is not supported (the
** process may be killed by SIGBUS).
*/
#ifndef MATERIA_KB_H
#define MATERIA_KB_H

#include <stddef.h>
#include <stdint.h>

#include "materia/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mt_kb mt_kb;

/* Open flags. */
#define MT_KB_VERIFY_NONE 0x1u   /* skip section checksums (fuzzing, benchmarks);
                                    bounds and references are always checked */

/* The default knowledge-base path: $MATERIA_KB when set and not empty, else
** "build/materia.kb". A static or environment string; never NULL. */
const char *mt_kb_default_path(void);

/* Opens and validates the knowledge base at path.
** Returns MT_OK and *kb, or (with *kb = NULL):
**   MT_EINVAL     kb or path is NULL;
**   MT_ENOMEM     out of memory;
**   MT_EIO        cannot open, stat or map the file (errno is kept);
**   MT_EMAGIC     not a Materia knowledge-base file;
**   MT_EVERSION   a format version this build cannot read;
**   MT_ETRUNCATED the file is shorter than its header says;
**   MT_ECHECKSUM  a checksum does not match: the file is corrupt;
**   MT_ECORRUPT   a section, offset, index or range is out of bounds, a
**                 table is missing or has the wrong record size. */
int  mt_kb_open(mt_kb **kb, const char *path, unsigned flags);

/* mt_kb_open, and on failure a one-line explanation of what is wrong (which
** section or table, which record and field) in detail[0..detail_size-1],
** always NUL-terminated when detail_size > 0; "" when there is nothing to
** add to mt_strerror(). detail may be NULL. */
int  mt_kb_open_ex(mt_kb **kb, const char *path, unsigned flags,
                   char *detail, size_t detail_size);

/* The same on a buffer the caller owns (tests, fuzzing). The buffer must
** stay unchanged and outlive the handle; mt_kb_close does not free it. */
int  mt_kb_open_mem(mt_kb **kb, const void *data, size_t size, unsigned flags,
                    char *detail, size_t detail_size);

/* Unmaps and frees. NULL is allowed. Every pointer obtained from kb dies. */
void mt_kb_close(mt_kb *kb);

/* What mt_kb_info reports. */
typedef struct mt_kb_summary {
    uint32_t format_version;   /* MT_KBF_FORMAT_VERSION of the file */
    char     data_version[33]; /* fingerprint of the bundled sources, printable ASCII */
    char     build_date[33];   /* YYYY-MM-DD, from the sources' editions (reproducible) */
    uint64_t file_size;        /* bytes */
    uint32_t sections;         /* sections in the file, core and engine */
    uint32_t sources, drugs, idents, names, products, ndcs, classes,
             drug_classes, indications, approvals, schedules, acbs,
             docs, doc_sections, pills, ixrules, ixpairs, codes;
    uint32_t string_bytes;     /* size of the string pool */
} mt_kb_summary;

/* Fills *info. MT_OK, or MT_EINVAL when kb or info is NULL. */
int  mt_kb_info(const mt_kb *kb, mt_kb_summary *info);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_KB_H */
