#include "belay_xml.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>

struct belay_xml_reader {
    xmlTextReaderPtr reader;
    char *buffer;
};

belay_xml_reader *belay_xml_open(const char *bytes, int length) {
    static int initialized = 0;
    if (!initialized) {  // xmlInitParser is idempotent and thread-safe in libxml2 >= 2.9
        xmlInitParser();
        initialized = 1;
    }
    if (length < 0) return NULL;
    belay_xml_reader *r = calloc(1, sizeof(belay_xml_reader));
    if (r == NULL) return NULL;
    r->buffer = malloc(length > 0 ? (size_t)length : 1);
    if (r->buffer == NULL) { free(r); return NULL; }
    if (length > 0) memcpy(r->buffer, bytes, (size_t)length);
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    r->reader = xmlReaderForMemory(r->buffer, length, NULL, NULL, options);
    if (r->reader == NULL) { free(r->buffer); free(r); return NULL; }
    return r;
}

void belay_xml_close(belay_xml_reader *r) {
    if (r == NULL) return;
    xmlFreeTextReader(r->reader);
    free(r->buffer);
    free(r);
}

int belay_xml_read(belay_xml_reader *r) { return xmlTextReaderRead(r->reader); }
int belay_xml_node_type(belay_xml_reader *r) { return xmlTextReaderNodeType(r->reader); }
int belay_xml_is_empty_element(belay_xml_reader *r) { return xmlTextReaderIsEmptyElement(r->reader); }
const char *belay_xml_local_name(belay_xml_reader *r) { return (const char *)xmlTextReaderConstLocalName(r->reader); }
const char *belay_xml_value(belay_xml_reader *r) { return (const char *)xmlTextReaderConstValue(r->reader); }
int belay_xml_move_to_first_attribute(belay_xml_reader *r) { return xmlTextReaderMoveToFirstAttribute(r->reader); }
int belay_xml_move_to_next_attribute(belay_xml_reader *r) { return xmlTextReaderMoveToNextAttribute(r->reader); }
int belay_xml_move_to_element(belay_xml_reader *r) { return xmlTextReaderMoveToElement(r->reader); }
int belay_xml_line(belay_xml_reader *r) { return xmlTextReaderGetParserLineNumber(r->reader); }
void belay_xml_reset_error(void) { xmlResetLastError(); }

const char *belay_xml_last_error(int *line, int *code) {
    const xmlError *error = xmlGetLastError();
    if (error == NULL) { *line = 0; *code = 0; return NULL; }
    *line = error->line;
    *code = error->code;
    return error->message;
}
