/*
** assets.h — the web UI files, embedded in the binary at build time so that
** `materia serve` needs no files beside it and no front-end build step.
*/
#ifndef MT_ASSETS_H
#define MT_ASSETS_H

#include <stddef.h>

typedef struct mt_asset {
    const char *path;          /* URL path, e.g. "/app.js" */
    const char *content_type;
    const unsigned char *data;
    const unsigned char *end;  /* one past the last byte: length is end - data */
} mt_asset;

/* The embedded file served at `path`, or NULL. */
const mt_asset *mt_asset_find(const char *path);

#endif /* MT_ASSETS_H */
