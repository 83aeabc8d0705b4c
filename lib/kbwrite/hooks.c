/*
** hooks.c — the section hooks of the engine modules, run by mt_kb_write
** after the core tables (kbwrite.h).
**
** Each engine module that stores its own sections adds ONE line here, in
** the order its sections should be built (a hook may read what an earlier
** one added only through its own data, not through the file). Section ids
** come from the module's range in lib/kb/kbformat.h; the read-side
** validation hook goes in lib/kb/kbhooks.c.
*/
#include "kbwrite/kbwrite.h"
#include "interact/ixindex.h"
#include "pill/pill_build.h"
#include "search/search_build.h"

const mt_kb_section_hook mt_kb_section_hooks[] = {
    mt_search_kb_sections,
    mt_interact_kb_sections,
    mt_pill_kb_sections,
    NULL
};
