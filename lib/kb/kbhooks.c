/*
** kbhooks.c — the validation hooks of the engine modules, run by mt_kb_open
** after the core tables have been checked (kb_internal.h).
**
** Each engine module that stores its own sections (search 100..149,
** interactions 150..199, pills 200..249, documents 250..299) adds ONE line
** here: a function that checks its sections, typically with
** mt_kb_check_table, so that after open its query code can trust every
** offset and index it reads. Its write-side counterpart is listed in
** lib/kbwrite/hooks.c.
*/
#include "interact/ixindex.h"
#include "kb/kb_internal.h"
#include "pill/pindex.h"
#include "search/sindex.h"

const mt_kb_validate_hook mt_kb_validate_hooks[] = {
    mt_search_kb_validate,
    mt_interact_kb_validate,
    mt_pill_kb_validate,
    NULL
};
