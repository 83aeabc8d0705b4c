/*
** srcfile.h — reading source files, plain or gzip-compressed, or entries of a
** zip archive, with line numbers for error messages.
**
** Bundled sources are stored as NAME.gz; official releases a user points at
** are plain files, or the zips they were published as. mt_src_open(dir,
** "Products.txt") opens dir/Products.txt.gz when it exists and
** dir/Products.txt otherwise; zlib reads either. When dir is a file it is a
** zip archive (srczip.h), read like the folder it unzips to: the entry named
** Products.txt at any folder depth inside it, the shallowest (a .gz inside a
** zip is not decompressed: it is refused, by name).
**
** Errors: every function that fails writes "FILE:LINE: what went wrong" into
** the caller's error buffer (when given) so that the user learns which file
** and line to look at; inside a zip FILE is ARCHIVE!ENTRY.
*/
#ifndef MT_SRCFILE_H
#define MT_SRCFILE_H

#include <stddef.h>
#include <zlib.h>

#include "util/buf.h"

#define MT_SRC_MAX_LINE   (16u * 1024 * 1024)   /* longest line accepted */
#define MT_SRC_MAX_FILE   (512u * 1024 * 1024)  /* largest file read whole */

struct mt_zip;
struct mt_zip_entry;

typedef struct mt_srcfile {
    gzFile  gz;
    struct mt_zip_entry *ze;  /* reading a zip entry instead of gz */
    struct mt_zip *zip;       /* the archive opened for it, closed with it (NULL: borrowed) */
    char   *path;       /* the path actually opened; ARCHIVE!ENTRY in a zip */
    unsigned long line; /* number of the line last returned, 1-based */
    mt_buf  linebuf;
    mt_buf *err;        /* where errors are described; may be NULL */
    /* private to mt_src_getline: decompressed bytes not yet returned */
    char   *rbuf;
    size_t  rpos, rlen;
} mt_srcfile;

/* Opens dir/name(.gz), or the entry name of the zip dir. MT_OK, MT_ENOTFOUND
** (neither exists), MT_EIO, MT_ENOMEM; for a zip also its errors (srczip.h:
** MT_EFORMAT, MT_ELIMIT). */
int  mt_src_open(mt_srcfile *f, const char *dir, const char *name, mt_buf *err);
/* Opens an exact path (plain or gzip). */
int  mt_src_open_path(mt_srcfile *f, const char *path, mt_buf *err);
void mt_src_close(mt_srcfile *f);
/* Next line without its "\n" / "\r\n". MT_OK, MT_ENOTFOUND at end of file,
** MT_ELIMIT (line too long), MT_EFORMAT (a NUL byte in the line: text files
** have none, and C strings would silently cut the line there), MT_EIO,
** MT_ENOMEM; in a zip also MT_ELIMIT (srczip.h's caps). *line stays valid
** until the next call. Do not mix with gzread on f->gz: lines are read ahead. */
int  mt_src_getline(mt_srcfile *f, char **line, size_t *len);
/* Up to n decompressed bytes, for a reader that takes bytes rather than
** lines and counts lines itself (it sets f->line for the messages): MT_OK with
** *got > 0, MT_ENOTFOUND at the end, or an error as mt_src_getline's. */
int  mt_src_read(mt_srcfile *f, void *buf, size_t n, size_t *got);
/* Whether dir/name or dir/name.gz exists (the entry, for a zip dir; a zip
** that does not open has none). */
int  mt_src_exists(const char *dir, const char *name);
/* Reads a whole file (decompressed) into out (appending). */
int  mt_src_read_all(const char *dir, const char *name, mt_buf *out, mt_buf *err);
/* A folder to read files from, on disk or inside an open zip: what
** srcwalk.h's walk hands to its visitor, and the bundled SPL folders. */
typedef struct mt_src_dir {
    const char    *path;    /* the folder ("" is the current one), or the zip's name */
    struct mt_zip *zip;     /* the archive, or NULL for a folder on disk */
    const char    *prefix;  /* inside the zip: "" or "folder/.../" */
} mt_src_dir;

/* Opens name in d: d->path/name(.gz) on disk, the entry d->prefix + name
** (exactly) in a zip. Errors as mt_src_open's. The zip must stay open until
** mt_src_close. */
int  mt_src_open_at(mt_srcfile *f, const mt_src_dir *d, const char *name, mt_buf *err);
/* Reads the whole file name of d (decompressed) into out (appending). */
int  mt_src_read_all_at(const mt_src_dir *d, const char *name, mt_buf *out, mt_buf *err);
/* Appends where name of d is, for messages: "dir/name", "ARCHIVE!folder/name". */
int  mt_src_dir_path(const mt_src_dir *d, const char *name, mt_buf *out);
/* Appends where dir/name is for messages: "dir/name"; for a zip dir
** "ARCHIVE!ENTRY", the entry mt_src_open would read (or name when none). */
int  mt_src_describe(const char *dir, const char *name, mt_buf *out);

/* Describes an error at the current line: "path:line: message". Returns `status`. */
int  mt_src_fail(mt_srcfile *f, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Delimited text (CSV, TSV, pipe) through libcsv: calls row() for every
** record with its fields (NUL-terminated, unquoted) and the line it started
** on. row() returns MT_OK to go on or an error to stop. quote = 0 disables
** quoting (for TSV files whose fields contain stray quotes). */
typedef int (*mt_csv_row_fn)(void *user, char **fields, size_t nfields, unsigned long line);
int  mt_csv_read(const char *dir, const char *name, char delim, char quote,
                 mt_csv_row_fn row, void *user, mt_buf *err);

#endif /* MT_SRCFILE_H */
