/*
** materia/version.h — the release version of the tool and library.
*/
#ifndef MATERIA_VERSION_H
#define MATERIA_VERSION_H

#define MATERIA_VERSION "0.1.0"

#endif /* MATERIA_VERSION_H */
