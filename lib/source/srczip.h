/*
** srczip.h — zip archives read as folders of source files, through libzip:
** the official releases are published as zips (RxNorm_full_MMDDYYYY.zip,
** ndctext.zip, drug-label-0001-of-0013.json.zip, DailyMed's zip of label
** zips), and `materia build --source KIND=FILE.zip` reads them as they are.
**
** An archive is opened from a file, or from memory: a zip inside a zip is
** read whole into memory (up to the inner cap) and opened from there, one
** level deep only. Entries are found by name and read as a checked stream;
** srcfile.h puts its line reader on top (mt_src_open(zip, name)).
**
** Every archive is untrusted input:
**  - an entry that declares more uncompressed bytes than the entry cap is
**    refused before it is read; and reading stops with an error as soon as
**    an entry gives one byte more than it declares (libzip itself hands out
**    whatever the deflate stream holds, whatever the header said);
**  - the uncompressed bytes read from one opened archive, the zips inside it
**    included, stop at the total cap;
**  - encrypted entries and compression methods libzip cannot decode are
**    refused with a message naming the entry;
**  - entry names are only compared, never used to create a file or a path on
**    disk: no name can lead outside anything.
** Every libzip call is checked. libzip's own memory is its own (it has no
** allocator hook); ours goes through util/alloc.h.
**
** Messages name the place as ARCHIVE!ENTRY, and an entry of an inner zip as
** OUTER!INNER!ENTRY.
*/
#ifndef MT_SRCZIP_H
#define MT_SRCZIP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* The caps (docs/official-releases.md, "Zip files"). Each is set well above
** the releases as published, whose largest files are hundreds of megabytes to
** a few gigabytes: an archive that reaches one is damaged or hostile. The
** total counts per opening (mt_zip_open): a walk opens a zip once, each
** mt_src_open(zip, name) opens it anew. */
#define MT_ZIP_MAX_ENTRY    (8ull << 30)     /* uncompressed bytes of one entry */
#define MT_ZIP_MAX_TOTAL    (64ull << 30)    /* uncompressed bytes read from one opened archive */
#define MT_ZIP_MAX_INNER    (512ull << 20)   /* a zip inside a zip, read into memory */
#define MT_ZIP_MAX_ENTRIES  (1u << 20)       /* entries of one archive */

typedef struct mt_zip mt_zip;
typedef struct mt_zip_entry mt_zip_entry;

typedef struct mt_zip_caps {
    uint64_t entry, total, inner;
} mt_zip_caps;

/* The caps in force (for new archives and entries). Tests and the fuzz
** target lower them; NULL restores the defaults above. Not thread-safe. */
void        mt_zip_set_caps(const mt_zip_caps *caps);
mt_zip_caps mt_zip_get_caps(void);

/* Opens the zip file at path. MT_OK; MT_EFORMAT (not a zip, or damaged),
** MT_EIO, MT_ELIMIT (too many entries), MT_ENOMEM, with "path: reason" in
** err (when given). */
int  mt_zip_open(mt_zip **out, const char *path, mt_buf *err);
/* Opens len bytes at data as a zip called name (in messages). data must stay
** unchanged until mt_zip_close. */
int  mt_zip_open_buffer(mt_zip **out, const char *name, const void *data, size_t len, mt_buf *err);
/* Reads entry `index` of outer (itself not an inner zip) into memory and opens
** it as a zip; outer must stay open while it is. MT_EFORMAT for a zip nested
** deeper, MT_ELIMIT over the inner cap, or the errors of both above. */
int  mt_zip_open_inner(mt_zip **out, mt_zip *outer, uint64_t index, mt_buf *err);
void mt_zip_close(mt_zip *z);

/* "a.zip", or "a.zip!folder/b.zip" for an inner zip. */
const char *mt_zip_name(const mt_zip *z);
/* 0 for a zip file or buffer, 1 for a zip read from inside another. */
int         mt_zip_depth(const mt_zip *z);
uint64_t    mt_zip_count(const mt_zip *z);
/* The name of entry i as libzip gives it (UTF-8; CP437 names converted), or
** NULL. Valid until the archive is closed. A name ending in '/' is a folder. */
const char *mt_zip_entry_name(mt_zip *z, uint64_t i);

/* The entry named exactly name: MT_OK, MT_ENOTFOUND. */
int  mt_zip_locate(mt_zip *z, const char *name, uint64_t *index);
/* The entry named name at any folder depth ("RXNCONSO.RRF" finds
** "rrf/RXNCONSO.RRF" and "RxNorm_full_01052026/rrf/RXNCONSO.RRF"), the
** shallowest winning, as the importers look into a folder before its
** subfolders (RxNorm's rrf/ before a deeper prescribe/rrf/). MT_OK; MT_ENOTFOUND
** (nothing written); MT_EFORMAT when two match at the same depth (named in
** err). */
int  mt_zip_find(mt_zip *z, const char *name, uint64_t *index, mt_buf *err);

/* Opens entry `index` for reading after the checks above. MT_OK; MT_EFORMAT
** (encrypted, unsupported method, a folder, damaged), MT_ELIMIT (declared
** size over the cap, or the archive's total reached), MT_ENOMEM, MT_EIO,
** with "ARCHIVE!ENTRY: reason" in err. */
int  mt_zip_entry_open(mt_zip_entry **out, mt_zip *z, uint64_t index, mt_buf *err);
/* Reads up to n bytes: *got > 0, or 0 at the end of the entry. On failure
** (MT_EFORMAT: damaged data, more or fewer bytes than declared; MT_ELIMIT:
** the total cap; MT_EIO; MT_ENOMEM) mt_zip_entry_why says why, without the
** place, and every later read fails the same way. */
int  mt_zip_entry_read(mt_zip_entry *e, void *buf, size_t n, size_t *got);
const char *mt_zip_entry_why(const mt_zip_entry *e);
/* The size the entry declares. */
uint64_t mt_zip_entry_size(const mt_zip_entry *e);
void mt_zip_entry_close(mt_zip_entry *e);

/* Whether name ends in ".zip" (any case): the files a walk opens as archives. */
int  mt_zip_is_zip_name(const char *name);

#endif /* MT_SRCZIP_H */
