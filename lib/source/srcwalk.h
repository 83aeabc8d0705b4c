/*
** srcwalk.h — the files of a release wherever they are: a folder and its
** subfolders, a zip file, the zip files of a folder, and the zips inside a
** zip (DailyMed publishes a zip of one zip per label). The importers that
** scan for files (openFDA labels, DailyMed SPL files) walk with this rather
** than opendir, so a folder and the zip of it read alike.
*/
#ifndef MT_SRCWALK_H
#define MT_SRCWALK_H

#include <stddef.h>

#include "source/srcfile.h"
#include "source/srczip.h"

#define MT_SRC_WALK_ZIPS   1      /* flag: .zip files met in folders are walked as folders */
#define MT_SRC_WALK_INNER  2      /* flag: so are the .zip entries of a zip, one level deep */
#define MT_SRC_WALK_STOP   1      /* a visit returning this ends the walk, which returns MT_OK */
#define MT_SRC_WALK_MAX_NAMES (1u << 20)  /* names in one folder on disk */

/* Whether a file is one the walk hands over (by its name, no folder). */
typedef int (*mt_src_want_fn)(const char *name);
/* One folder's wanted files, sorted (strcmp), opened with mt_src_open_at(d,
** name). d and names are valid during the call only. Returns MT_OK to go on,
** MT_SRC_WALK_STOP, or an error (described by the visitor) that ends the walk. */
typedef int (*mt_src_visit_fn)(void *user, const mt_src_dir *d, const char *const *names, size_t n);

/* Calls visit for every folder that holds wanted files:
**  - path a folder: its files, then (MT_SRC_WALK_ZIPS) its .zip files, then
**    its subfolders down to `depth` levels, each in name order;
**  - path a .zip file (any case): mt_src_walk_zip;
**  - path another file: that file alone, wanted or not (it was named), as
**    the name `path` in the folder "" (a visitor citing a file name takes
**    what follows the last '/').
** Names beginning with '.' are left out, on disk and in zips (macOS's
** __MACOSX/._name copies). Returns MT_OK, the visitor's error, or the walk's
** own described in err: MT_ENOTFOUND (no such path), MT_EIO (a folder that
** does not read), MT_ELIMIT, and the zips' errors (srczip.h). */
int mt_src_walk(const char *path, int depth, int flags, mt_src_want_fn want, mt_src_visit_fn visit,
                void *user, mt_buf *err);
/* The same over an open archive: every folder depth inside it, its entries
** grouped by folder in the order a walk of the unzipped files would take;
** after each folder's files, its .zip entries (MT_SRC_WALK_INNER, when z is
** not itself inside a zip), each read into memory and walked in turn. Two
** entries of the same name are an error (which one to read is not clear). */
int mt_src_walk_zip(mt_zip *z, int flags, mt_src_want_fn want, mt_src_visit_fn visit, void *user,
                    mt_buf *err);

#endif /* MT_SRCWALK_H */
