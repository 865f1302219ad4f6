#ifndef BELAY_XML_H
#define BELAY_XML_H
// A pull reader over an XML document in memory, on libxml2's xmlTextReader, behind a header that includes nothing
// of libxml2. Swift never sees libxml2's headers, which pull in the system ICU and clash with the ICU that Swift's
// Foundation ships ('UErrorCode' has different definitions) in any module that also imports Foundation.

#include <stddef.h>

typedef struct belay_xml_reader belay_xml_reader;

/// Node types, as libxml2's xmlReaderTypes numbers them.
enum {
    BELAY_XML_ELEMENT = 1,
    BELAY_XML_TEXT = 3,
    BELAY_XML_CDATA = 4,
    BELAY_XML_ENTITY_REFERENCE = 5,
    BELAY_XML_DOCUMENT_TYPE = 10,
    BELAY_XML_WHITESPACE = 13,
    BELAY_XML_SIGNIFICANT_WHITESPACE = 14,
    BELAY_XML_END_ELEMENT = 15,
};

/// Opens a reader over `length` bytes (copied; the caller may free its buffer). Network access off, entities
/// not substituted, errors not printed. NULL when libxml2 cannot create a reader.
belay_xml_reader *belay_xml_open(const char *bytes, int length);
void belay_xml_close(belay_xml_reader *reader);
/// 1: moved to the next node; 0: end of document; -1: error (see belay_xml_last_error).
int belay_xml_read(belay_xml_reader *reader);
int belay_xml_node_type(belay_xml_reader *reader);
int belay_xml_is_empty_element(belay_xml_reader *reader);
/// Local name / value of the current node or attribute (NULL when none); valid until the next move.
const char *belay_xml_local_name(belay_xml_reader *reader);
const char *belay_xml_value(belay_xml_reader *reader);
int belay_xml_move_to_first_attribute(belay_xml_reader *reader);
int belay_xml_move_to_next_attribute(belay_xml_reader *reader);
int belay_xml_move_to_element(belay_xml_reader *reader);
int belay_xml_line(belay_xml_reader *reader);
/// Clears this thread's last libxml2 error.
void belay_xml_reset_error(void);
/// This thread's last libxml2 error message (NULL when none) with its line and code.
const char *belay_xml_last_error(int *line, int *code);

#endif
