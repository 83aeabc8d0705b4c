/*
** srcwalk.c — walking folders, zip files and the zips inside them
** (srcwalk.h), one folder's wanted files at a time.
*/
#include "source/srcwalk.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "materia/status.h"
#include "util/alloc.h"

typedef struct walk {
    int             flags;
    mt_src_want_fn  want;
    mt_src_visit_fn visit;
    void           *user;
    mt_buf         *err;
} walk;

static int stat_mode(const char *path, mode_t *mode)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    *mode = st.st_mode;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_zipfile(walk *w, const char *path);
static int walk_zip(walk *w, mt_zip *z);

/* --- folders on disk ------------------------------------------------------------ */

static int walk_folder(walk *w, const char *path, int depth)
{
    DIR *d = NULL;
    struct dirent *e;
    char **names = NULL;
    const char **files = NULL;
    unsigned char *kind = NULL;       /* per name: 1 a zip to walk, 2 a folder */
    size_t n = 0, cap = 0, nfiles = 0, i;
    mt_buf sub;
    mode_t mode;
    int rc = MT_OK;

    mt_buf_init(&sub, 8192);
    if (!(d = opendir(path))) {
        rc = errno == ENOENT ? MT_ENOTFOUND : MT_EIO;
        if (w->err)
            mt_buf_printf(w->err, "%s: cannot read the folder: %s", path, strerror(errno));
        goto done;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **g;
            if (cap >= MT_SRC_WALK_MAX_NAMES) {
                if (w->err)
                    mt_buf_printf(w->err, "%s: more than %u names in the folder", path, MT_SRC_WALK_MAX_NAMES);
                rc = MT_ELIMIT;
                goto done;
            }
            if (!(g = mt_reallocarray(names, cap ? cap * 2 : 64, sizeof(*g)))) {
                rc = MT_ENOMEM;
                goto done;
            }
            names = g;
            cap = cap ? cap * 2 : 64;
        }
        if (!(names[n] = mt_strdup(e->d_name))) {
            rc = MT_ENOMEM;
            goto done;
        }
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_str);
    if (!(files = mt_calloc(n + 1, sizeof(*files))) || !(kind = mt_calloc(n + 1, 1))) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        int zip = (w->flags & MT_SRC_WALK_ZIPS) && mt_zip_is_zip_name(names[i]);
        if (w->want(names[i])) {
            files[nfiles++] = names[i];
            continue;
        }
        if (!zip && depth <= 0)
            continue;
        mt_buf_reset(&sub);
        if ((rc = mt_buf_printf(&sub, "%s/%s", path, names[i])) != MT_OK)
            goto done;
        if (!stat_mode(sub.data, &mode))
            continue;
        if (zip && S_ISREG(mode))
            kind[i] = 1;
        else if (depth > 0 && S_ISDIR(mode))
            kind[i] = 2;
    }
    if (nfiles) {
        mt_src_dir dd;
        dd.path = path;
        dd.zip = NULL;
        dd.prefix = NULL;
        if ((rc = w->visit(w->user, &dd, files, nfiles)) != MT_OK)
            goto done;
    }
    for (int pass = 1; pass <= 2; pass++)
        for (i = 0; i < n; i++) {
            if (kind[i] != pass)
                continue;
            mt_buf_reset(&sub);
            if ((rc = mt_buf_printf(&sub, "%s/%s", path, names[i])) != MT_OK)
                goto done;
            rc = pass == 1 ? walk_zipfile(w, sub.data) : walk_folder(w, sub.data, depth - 1);
            if (rc != MT_OK)
                goto done;
        }
done:
    if (d)
        closedir(d);
    for (i = 0; i < n; i++)
        mt_free(names[i]);
    mt_free(names);
    mt_free(files);
    mt_free(kind);
    mt_buf_free(&sub);
    return rc;
}

/* --- zips ---------------------------------------------------------------------- */

typedef struct zname {
    const char *name;
    uint64_t    index;
    size_t      dirlen;     /* bytes of the folder part, its last '/' included */
} zname;

/* Folder parts ("a/b/", each ending in '/') compared folder by folder, as a
** walk on disk sorts each folder's names: "a/" < "a/b/" < "a-x/". */
static int cmp_folders(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen && blen) {
        const char *sa = memchr(a, '/', alen), *sb = memchr(b, '/', blen);
        size_t ca = sa ? (size_t)(sa - a) : alen, cb = sb ? (size_t)(sb - b) : blen;
        int r = memcmp(a, b, ca < cb ? ca : cb);
        if (r)
            return r;
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ca += ca < alen;
        cb += cb < blen;
        a += ca;
        alen -= ca;
        b += cb;
        blen -= cb;
    }
    return alen ? 1 : blen ? -1 : 0;
}

static int cmp_zname(const void *pa, const void *pb)
{
    const zname *a = pa, *b = pb;
    int r = cmp_folders(a->name, a->dirlen, b->name, b->dirlen);
    return r ? r : strcmp(a->name + a->dirlen, b->name + b->dirlen);
}

/* A name to leave out: a folder, or a file or folder whose name begins with
** '.' (but "." and "..", which some zips put before a name). */
static int hidden(const char *name)
{
    const char *p = name;
    size_t n = strlen(name);
    if (!n || name[n - 1] == '/')
        return 1;
    for (;;) {
        size_t c = strcspn(p, "/");
        if (*p == '.' && !(c == 1 || (c == 2 && p[1] == '.')))
            return 1;
        if (!p[c])
            return 0;
        p += c + 1;
    }
}

static int walk_zip(walk *w, mt_zip *z)
{
    uint64_t count = mt_zip_count(z), i;
    zname *all = NULL;
    const char **files = NULL;
    char *prefix = NULL;
    size_t n = 0, g, k, end;
    int rc = MT_OK;

    if (!(all = mt_calloc((size_t)count + 1, sizeof(*all))) || !(files = mt_calloc((size_t)count + 1, sizeof(*files)))) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < count; i++) {
        const char *name = mt_zip_entry_name(z, i), *slash;
        if (!name) {
            if (w->err)
                mt_buf_printf(w->err, "%s: entry %llu has no readable name", mt_zip_name(z), (unsigned long long)i);
            rc = MT_EFORMAT;
            goto done;
        }
        if (hidden(name))
            continue;
        slash = strrchr(name, '/');
        all[n].name = name;
        all[n].index = i;
        all[n].dirlen = slash ? (size_t)(slash - name) + 1 : 0;
        n++;
    }
    if (n > 1)
        qsort(all, n, sizeof(*all), cmp_zname);
    for (k = 1; k < n; k++)
        if (strcmp(all[k - 1].name, all[k].name) == 0) {
            if (w->err)
                mt_buf_printf(w->err, "%s: two entries are named %s: which one to read is not clear", mt_zip_name(z),
                              all[k].name);
            rc = MT_EFORMAT;
            goto done;
        }
    for (g = 0; g < n; g = end) {
        size_t nfiles = 0;
        for (end = g + 1; end < n && all[end].dirlen == all[g].dirlen &&
                          memcmp(all[end].name, all[g].name, all[g].dirlen) == 0; end++)
            ;
        for (k = g; k < end; k++)
            if (w->want(all[k].name + all[k].dirlen))
                files[nfiles++] = all[k].name + all[k].dirlen;
        if (nfiles) {
            mt_src_dir dd;
            mt_free(prefix);
            if (!(prefix = mt_strndup(all[g].name, all[g].dirlen))) {
                rc = MT_ENOMEM;
                goto done;
            }
            dd.path = mt_zip_name(z);
            dd.zip = z;
            dd.prefix = prefix;
            if ((rc = w->visit(w->user, &dd, files, nfiles)) != MT_OK)
                goto done;
        }
        if (!(w->flags & MT_SRC_WALK_INNER) || mt_zip_depth(z) > 0)
            continue;
        for (k = g; k < end; k++) {
            mt_zip *inner;
            const char *base = all[k].name + all[k].dirlen;
            if (!mt_zip_is_zip_name(base) || w->want(base))
                continue;
            if ((rc = mt_zip_open_inner(&inner, z, all[k].index, w->err)) != MT_OK)
                goto done;
            rc = walk_zip(w, inner);
            mt_zip_close(inner);
            if (rc != MT_OK)
                goto done;
        }
    }
done:
    mt_free(all);
    mt_free(files);
    mt_free(prefix);
    return rc;
}

static int walk_zipfile(walk *w, const char *path)
{
    mt_zip *z;
    int rc = mt_zip_open(&z, path, w->err);
    if (rc != MT_OK)
        return rc;
    rc = walk_zip(w, z);
    mt_zip_close(z);
    return rc;
}

/* --- the walks ------------------------------------------------------------------- */

int mt_src_walk(const char *path, int depth, int flags, mt_src_want_fn want, mt_src_visit_fn visit,
                void *user, mt_buf *err)
{
    walk w;
    mode_t mode;
    int rc;

    w.flags = flags;
    w.want = want;
    w.visit = visit;
    w.user = user;
    w.err = err;
    if (!stat_mode(path, &mode)) {
        if (err)
            mt_buf_printf(err, "%s: %s", path, strerror(errno));
        return MT_ENOTFOUND;
    }
    if (S_ISDIR(mode))
        rc = walk_folder(&w, path, depth);
    else if (mt_zip_is_zip_name(path))
        rc = walk_zipfile(&w, path);
    else {
        /* One file, named by its whole path in the current folder "". */
        mt_src_dir dd;
        dd.path = "";
        dd.zip = NULL;
        dd.prefix = NULL;
        rc = visit(user, &dd, &path, 1);
    }
    return rc > 0 ? MT_OK : rc;
}

int mt_src_walk_zip(mt_zip *z, int flags, mt_src_want_fn want, mt_src_visit_fn visit, void *user,
                    mt_buf *err)
{
    walk w;
    int rc;

    w.flags = flags;
    w.want = want;
    w.visit = visit;
    w.user = user;
    w.err = err;
    rc = walk_zip(&w, z);
    return rc > 0 ? MT_OK : rc;
}
