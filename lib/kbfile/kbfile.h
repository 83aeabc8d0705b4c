/*
** kbfile.h — the knowledge-base container: a header, a table of sections and
** the sections themselves, each with its own checksum.
**
** This layer knows nothing about drugs. It stores numbered sections (blobs or
** arrays of fixed-size records) and, when reading, guarantees that every
** section it hands out lies inside the file, is aligned, and matches its
** checksum. What the sections mean is defined by the modules that own them
** (lib/kb/kbformat.h lists every section id and its owner).
**
** Layout (all integers little-endian; docs/reference/kb-format.md has the byte map):
**   header (MT_KBF_HEADER_SIZE bytes): magic "MATERIAKB\0\r\n" (12 bytes),
**     format version, header size, file size, section count, offset of the
**     section table, checksums of the section table and of the header,
**     data version and build date strings;
**   section table: MT_KBF_MAX_SECTIONS at most, sorted by id;
**   sections, each starting on a 64-byte boundary.
** Checksums are XXH3-64 (libxxhash).
**
** Writing is atomic: mt_kbw writes PATH.tmp-PID, fsyncs and renames it over
** PATH only on commit, so a failed build leaves the previous file untouched.
**
** Pointer lifetime (the LMDB habit): every pointer mt_kbf_section returns
** points into the read-only map and stays valid until mt_kbf_close.
*/
#ifndef MT_KBFILE_H
#define MT_KBFILE_H

#include <stddef.h>
#include <stdint.h>

#define MT_KBF_MAGIC          "MATERIAKB\0\r\n"
#define MT_KBF_MAGIC_LEN      12
#define MT_KBF_FORMAT_VERSION 1u
#define MT_KBF_HEADER_SIZE    256u
#define MT_KBF_MAX_SECTIONS   256u
#define MT_KBF_ALIGN          64u
#define MT_KBF_MAX_FILE       (4ull << 30)   /* refuse files over 4 GiB */

/* Open flags */
#define MT_KBF_VERIFY_NONE    0x1u  /* skip section checksums (fuzzing only; bounds are always checked) */

typedef struct mt_kbf_section_info {
    uint32_t id;
    uint32_t elem_size;      /* 0 for a blob */
    uint64_t offset;
    uint64_t size;           /* bytes */
    uint64_t checksum;
} mt_kbf_section_info;

typedef struct mt_kbf {
    const unsigned char *map;      /* the whole file, read-only */
    uint64_t             size;
    uint32_t             format_version;
    char                 data_version[33];
    char                 build_date[33];
    uint32_t             nsections;
    mt_kbf_section_info  sections[MT_KBF_MAX_SECTIONS];
    int                  owns_map;  /* private: mt_kbf_close unmaps (file) or not (memory) */
} mt_kbf;

/* Maps and verifies path. Returns MT_OK; MT_EIO (cannot open/stat/map, errno
** kept); MT_EMAGIC; MT_EVERSION; MT_ETRUNCATED (shorter than the header says);
** MT_ECHECKSUM; MT_ECORRUPT (a section outside the file, misaligned, overlapping,
** duplicated, or a size that is not a multiple of its record size).
** On failure *f is left closed (no map). */
int  mt_kbf_open(mt_kbf *f, const char *path, unsigned flags);
/* The same checks on a buffer the caller owns (fuzzing, tests). The buffer
** must outlive f and stay unchanged; mt_kbf_close does not free it. */
int  mt_kbf_open_mem(mt_kbf *f, const void *data, size_t size, unsigned flags);
void mt_kbf_close(mt_kbf *f);
/* Section `id`: *data and *count (records for an array section, bytes for a
** blob). elem_size must match the stored record size (0 for a blob), which
** catches a reader and writer that disagree. MT_OK, MT_ENOTFOUND (absent:
** *data = NULL, *count = 0), MT_ECORRUPT (record size mismatch). */
int  mt_kbf_section(const mt_kbf *f, uint32_t id, uint32_t elem_size,
                    const void **data, uint64_t *count);

typedef struct mt_kbw mt_kbw;
/* Starts writing PATH (through a temporary file beside it). */
int  mt_kbw_open(mt_kbw **w, const char *path);
/* Adds a section (copying nothing: data must stay valid until commit or
** abort). elem_size 0 = blob; otherwise size must be a multiple of it.
** MT_EEXIST for a duplicate id, MT_ELIMIT past MT_KBF_MAX_SECTIONS. */
int  mt_kbw_add(mt_kbw *w, uint32_t id, uint32_t elem_size, const void *data, uint64_t size);
/* Writes header, table and sections, fsyncs, renames over PATH, frees w.
** data_version and build_date are at most 32 bytes each. On any failure
** (MT_EIO with errno kept, MT_EINVAL, MT_ELIMIT) the temporary file is closed
** and removed and PATH is left as it was. */
int  mt_kbw_commit(mt_kbw *w, const char *data_version, const char *build_date);
/* Discards everything (removes the temporary file) and frees w. */
void mt_kbw_abort(mt_kbw *w);

#endif /* MT_KBFILE_H */
