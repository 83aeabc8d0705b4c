/*
** pill_build.h — the build side of pill identification: the section hook
** that writes the pill index (pindex.h) from the model, listed in
** lib/kbwrite/hooks.c.
*/
#ifndef MT_PILL_BUILD_H
#define MT_PILL_BUILD_H

#include "kbwrite/kbwrite.h"

/* Builds and adds sections PI_SEC_* from ctx->m. MT_OK, MT_ENOMEM,
** MT_ELIMIT (more postings than a uint32 counts), or an error of
** mt_kbw_add; the reason is appended to ctx->err. */
int mt_pill_kb_sections(mt_kbw_ctx *ctx);

#endif /* MT_PILL_BUILD_H */
