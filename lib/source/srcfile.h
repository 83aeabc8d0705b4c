/*
** srcfile.h — reading source files, plain or gzip-compressed, with line
** numbers for error messages.
**
** Bundled sources are stored as NAME.gz; official releases a user points at
** are plain files. mt_src_open(dir, "Products.txt") opens dir/Products.txt.gz
** when it exists and dir/Products.txt otherwise; zlib reads either.
**
** Errors: every function that fails writes "FILE:LINE: what went wrong" into
** the caller's error buffer (when given) so that the user learns which file
** and line to look at.
*/
#ifndef MT_SRCFILE_H
#define MT_SRCFILE_H

#include <stddef.h>
#include <zlib.h>

#include "util/buf.h"

#define MT_SRC_MAX_LINE   (16u * 1024 * 1024)   /* longest line accepted */
#define MT_SRC_MAX_FILE   (512u * 1024 * 1024)  /* largest file read whole */

typedef struct mt_srcfile {
    gzFile  gz;
    char   *path;       /* the path actually opened */
    unsigned long line; /* number of the line last returned, 1-based */
    mt_buf  linebuf;
    mt_buf *err;        /* where errors are described; may be NULL */
    /* private to mt_src_getline: decompressed bytes not yet returned */
    char   *rbuf;
    size_t  rpos, rlen;
} mt_srcfile;

/* Opens dir/name(.gz). MT_OK, MT_ENOTFOUND (neither exists), MT_EIO, MT_ENOMEM. */
int  mt_src_open(mt_srcfile *f, const char *dir, const char *name, mt_buf *err);
/* Opens an exact path (plain or gzip). */
int  mt_src_open_path(mt_srcfile *f, const char *path, mt_buf *err);
void mt_src_close(mt_srcfile *f);
/* Next line without its "\n" / "\r\n". MT_OK, MT_ENOTFOUND at end of file,
** MT_ELIMIT (line too long), MT_EFORMAT (a NUL byte in the line: text files
** have none, and C strings would silently cut the line there), MT_EIO,
** MT_ENOMEM. *line stays valid until the next call. Do not mix with gzread
** on f->gz: lines are read ahead. */
int  mt_src_getline(mt_srcfile *f, char **line, size_t *len);
/* Whether dir/name or dir/name.gz exists. */
int  mt_src_exists(const char *dir, const char *name);
/* Reads a whole file (decompressed) into out (appending). */
int  mt_src_read_all(const char *dir, const char *name, mt_buf *out, mt_buf *err);
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
