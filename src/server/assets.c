/*
** assets.c — embeds web/ into the binary with the assembler's .incbin, so the
** files are bytes in .rodata with no generator script. The Makefile makes
** this object depend on those files so an edited page rebuilds it.
*/
#include "server/assets.h"

#include <string.h>

#define EMBED(sym, file) \
    __asm__(".section .rodata\n" \
            ".balign 16\n" \
            ".global " #sym "_start\n" #sym "_start:\n" \
            ".incbin \"" file "\"\n" \
            ".global " #sym "_end\n" #sym "_end:\n" \
            ".byte 0\n" \
            ".previous\n"); \
    extern const unsigned char sym##_start[], sym##_end[]

EMBED(asset_index_html, "web/index.html");
EMBED(asset_app_js, "web/app.js");
EMBED(asset_app_css, "web/app.css");
EMBED(asset_favicon_svg, "web/favicon.svg");
EMBED(asset_openapi_json, "web/openapi.json");

static const mt_asset assets[] = {
    { "/",            "text/html; charset=utf-8",       asset_index_html_start, asset_index_html_end },
    { "/app.js",      "text/javascript; charset=utf-8", asset_app_js_start,     asset_app_js_end },
    { "/app.css",     "text/css; charset=utf-8",        asset_app_css_start,    asset_app_css_end },
    { "/favicon.svg", "image/svg+xml",                  asset_favicon_svg_start, asset_favicon_svg_end },
    { "/api/v1/openapi.json", "application/json",       asset_openapi_json_start, asset_openapi_json_end },
};

const mt_asset *mt_asset_find(const char *path)
{
    size_t i;
    if (strcmp(path, "/index.html") == 0)
        path = "/";
    for (i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
        if (strcmp(assets[i].path, path) == 0)
            return &assets[i];
    return NULL;
}
