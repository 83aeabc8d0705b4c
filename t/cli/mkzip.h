/*
** mkzip.h — a zip of a folder for tests (t/cli/mkzip.c): the CLI tests run
** it as a command, the official-release unit tests call it.
*/
#ifndef MT_T_MKZIP_H
#define MT_T_MKZIP_H

/* Writes zip with every regular file under dir, named by its path relative
** to dir, deflated, in name order. 0, or -1. */
int mt_test_zip_folder(const char *zip, const char *dir);

#endif /* MT_T_MKZIP_H */
