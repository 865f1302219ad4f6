#ifndef BELAY_CLIBXML2_SHIM_H
#define BELAY_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

// `xmlFree` is a global function-pointer variable (a macro in thread-alloc builds); call it from C.
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }

// The last error's message, line and code (NULL/0 when there is none); the pointer stays valid until the
// next libxml2 call on this thread. `xmlGetLastError` is thread-local in threaded builds.
static inline const char *clibxml2_last_error_message(int *line, int *code) {
    const xmlError *error = xmlGetLastError();
    if (error == NULL) { *line = 0; *code = 0; return NULL; }
    *line = error->line;
    *code = error->code;
    return error->message;
}
#endif
