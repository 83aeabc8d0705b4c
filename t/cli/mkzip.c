/*
** mkzip.c — zips a folder for the CLI tests (t/cli/run.sh), so that they
** need no zip tool on a fresh machine: libzip is already a build dependency.
**
**   mkzip OUT.zip DIR
**
** Writes OUT.zip with every regular file under DIR (followed through
** symbolic links, down to 8 levels), named by its path relative to DIR,
** deflated, in name order; exits 0, or 1 with the reason on stderr.
**
** run.sh compiles it with -DMT_MKZIP_MAIN and lib/util/alloc.c. Built
** without that macro it is part of the unit-test runner, whose
** official-release tests zip the fixtures with mt_test_zip_folder.
*/
#include "cli/mkzip.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "util/alloc.h"

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the files of dir/rel (rel "" at the top) to za. 0, or -1. */
static int add_folder(zip_t *za, const char *dir, const char *rel, int depth)
{
    char path[4096], name[4096];
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    struct dirent *e;
    DIR *d;
    int rc = 0;

    int k = snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
    if (k < 0 || (size_t)k >= sizeof(path) || depth > 8 || !(d = opendir(path)))
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == cap) {
            char **g = mt_reallocarray(names, (cap = cap ? cap * 2 : 16), sizeof(*names));
            if (!g) {
                rc = -1;
                break;
            }
            names = g;
        }
        if (!(names[n] = mt_strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_name);
    for (i = 0; i < n && rc == 0; i++) {
        struct stat st;
        int a = snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "", names[i]);
        int b = snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (a < 0 || (size_t)a >= sizeof(name) || b < 0 || (size_t)b >= sizeof(path) || stat(path, &st) != 0)
            rc = -1;
        else if (S_ISDIR(st.st_mode))
            rc = add_folder(za, dir, name, depth + 1);
        else if (S_ISREG(st.st_mode)) {
            zip_source_t *src = zip_source_file(za, path, 0, -1);
            zip_int64_t idx;
            if (!src)
                rc = -1;
            else if ((idx = zip_file_add(za, name, src, 0)) < 0) {
                zip_source_free(src);
                rc = -1;
            } else if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0) != 0)
                rc = -1;
        }
    }
    for (i = 0; i < n; i++)
        mt_free(names[i]);
    mt_free(names);
    return rc;
}

int mt_test_zip_folder(const char *zip, const char *dir)
{
    int code = 0;
    zip_t *za = zip_open(zip, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!za)
        return -1;
    if (add_folder(za, dir, "", 0) != 0) {
        zip_discard(za);
        return -1;
    }
    return zip_close(za) == 0 ? 0 : -1;
}

#ifdef MT_MKZIP_MAIN
int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkzip OUT.zip DIR\n");
        return 1;
    }
    if (mt_test_zip_folder(argv[1], argv[2]) != 0) {
        fprintf(stderr, "mkzip: cannot zip %s into %s\n", argv[2], argv[1]);
        return 1;
    }
    return 0;
}
#endif
