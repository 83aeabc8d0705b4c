/*
** testmodel.h — a small drug model with every kind of fact, shared by the
** knowledge-base tests (t/kb, t/kbwrite, t/kbfile) and the fuzz seed corpus.
*/
#ifndef MT_TESTMODEL_H
#define MT_TESTMODEL_H

#include "model/model.h"

/* Fills m (already mdl_init'ed) with a few drugs (ketamine, esketamine,
** sertraline, alcohol), names, a product with NDCs, classes, indications,
** an approval, a schedule, ACB scores, a document, a pill, interaction rules
** and codes. variant 0 is the full model; 1 adds more interaction pairs.
** MT_OK or the first model error. */
int mt_testmodel_fill(mdl *m, int variant);

/* Writes the test model to path (SOURCE_DATE_EPOCH is not consulted: the
** date comes from the sources' editions). MT_OK or an error. */
int mt_testmodel_write(const char *path, int variant);

/* Reads a whole file into *data (mt_free it). MT_OK, MT_EIO, MT_ENOMEM. */
int mt_test_read_file(const char *path, unsigned char **data, size_t *size);

/* A fresh temporary file path under $TMPDIR (or /tmp) into out[256]. */
void mt_test_tmp_path(char out[256], const char *tag);

#endif /* MT_TESTMODEL_H */
