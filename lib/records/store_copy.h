/*
** store_copy.h — copies a whole records database into an empty one, between
** any two backends the store supports (SQLite -> PostgreSQL when a household
** or a clinic outgrows one server, PostgreSQL -> SQLite for a backup or the
** way back, SQLite -> SQLite). `materia records copy` is its front end.
**
** Every table is copied as it is: ids, timestamps, Argon2id password hashes,
** the SHA-256 of session, API and calendar tokens, the dose log, the audit
** log, login failures. People log in on the new database with the same
** passwords, and their API tokens and calendar links keep working.
*/
#ifndef MT_STORE_COPY_H
#define MT_STORE_COPY_H

#include <stddef.h>

#define MT_STORE_COPY_TABLES 9

typedef struct mt_store_copy_report {
    unsigned n;                       /* tables: MT_STORE_COPY_TABLES */
    struct {
        const char *table;            /* "users", "credentials", ... (static) */
        long long   source, dest;     /* rows on each side; -1 when not counted */
    } t[MT_STORE_COPY_TABLES];
} mt_store_copy_report;

/* Copies the records database `from` into `to` (each named as mt_store_open
** takes it: a SQLite path or a postgres:// URL).
**
** The source is opened read-only and read as of one moment. The destination
** gets its schema the way mt_store_open always makes it; then everything is
** written in ONE transaction, which also advances the destination's id
** sequences past every id the source ever handed out (a new row never takes
** an old id, not even a deleted one's) and compares the row count of every
** table on both sides (rep) before it commits. A failure leaves the
** destination as it was (with the empty schema when it had none).
**
** MT_OK: committed, every count equal. MT_EEXIST: the destination already
** holds rows; nothing written. MT_EINVAL: the two name the same database, or
** the source is not a records database. MT_EVERSION: the source's schema is
** not this build's. MT_ECORRUPT: a value the destination cannot hold as it is
** (text in a number column), or a count that differs after the copy (rolled
** back). MT_EIO, MT_EBUSY (a database locked by a running server), MT_ENOMEM.
** On failure a one-line reason is left in err. */
int mt_store_copy(const char *from, const char *to, mt_store_copy_report *rep,
                  char *err, size_t errsz);

#endif /* MT_STORE_COPY_H */
