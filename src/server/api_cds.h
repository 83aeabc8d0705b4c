/*
** api_cds.h — the CDS Hooks 2.0 service of `materia serve`: discovery
** (GET /cds-services) and the drug-interaction services
** (POST /cds-services/{id}). docs/cds-hooks.md describes them.
*/
#ifndef MT_API_CDS_H
#define MT_API_CDS_H

#include "server/http.h"

int mt_api_cds_discovery(mt_http_req *req);   /* GET /cds-services */
int mt_api_cds_service(mt_http_req *req);     /* /cds-services/{id}: POST; other methods 405 */

#endif /* MT_API_CDS_H */
