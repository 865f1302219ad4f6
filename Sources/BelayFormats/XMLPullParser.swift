// libxml2 is reached only through the C target CBelayXML, whose header includes nothing of libxml2: libxml2's own
// headers pull in the system ICU, which clashes with Foundation's in any Swift module that sees both.
internal import CBelayXML

/// A malformed or refused XML document.
struct XMLParseError: Error {
    /// 1-based line of the problem, 0 when unknown.
    var line: Int
    var message: String
}

/// A pull parser over an XML document in memory, built on libxml2's `xmlTextReader`.
///
/// Network access is off (`XML_PARSE_NONET`), entities are never substituted (no `XML_PARSE_NOENT`), and a
/// document type declaration is refused outright: the Office formats never carry one, and refusing it closes
/// the door on entity-expansion attacks. Not thread-safe; one parser per document.
final class XMLPullParser {
    enum Event: Equatable {
        /// An element opened; attributes are readable with ``attribute(_:)`` until the next call to `next()`.
        case start(String)
        /// An element closed (also reported right after the start of an empty element such as `<c/>`).
        case end(String)
        /// Character data (text, CDATA or whitespace) between tags, entities decoded.
        case text(String)
    }

    private let reader: OpaquePointer
    private var pendingEnd: String?
    private(set) var depth = 0

    init(bytes: [UInt8]) throws {
        guard bytes.count < Int(Int32.max) else { throw XMLParseError(line: 0, message: "the document is larger than 2 GiB") }
        let opened = bytes.withUnsafeBufferPointer { raw in
            raw.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: raw.count) { belay_xml_open($0, Int32(raw.count)) }
            } ?? belay_xml_open("", 0)
        }
        guard let reader = opened else { throw XMLParseError(line: 0, message: "libxml2 could not create a reader") }
        self.reader = reader
    }

    deinit {
        belay_xml_close(reader)
    }

    /// The next event, or `nil` at the end of the document.
    func next() throws -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name)
        }
        while true {
            belay_xml_reset_error()
            let status = belay_xml_read(reader)
            if status == 0 { return nil }
            guard status == 1 else { throw lastError() }
            let type = belay_xml_node_type(reader)
            switch type {
            case Int32(BELAY_XML_ELEMENT):
                let name = localName()
                if belay_xml_is_empty_element(reader) == 1 { pendingEnd = name }
                return .start(name)
            case Int32(BELAY_XML_END_ELEMENT):
                return .end(localName())
            case Int32(BELAY_XML_TEXT), Int32(BELAY_XML_CDATA), Int32(BELAY_XML_WHITESPACE),
                 Int32(BELAY_XML_SIGNIFICANT_WHITESPACE):
                guard let value = belay_xml_value(reader) else { continue }
                return .text(String(cString: value))
            case Int32(BELAY_XML_DOCUMENT_TYPE):
                throw XMLParseError(line: Int(belay_xml_line(reader)),
                                    message: "document type declarations (DTDs) are not allowed")
            case Int32(BELAY_XML_ENTITY_REFERENCE):
                throw XMLParseError(line: Int(belay_xml_line(reader)),
                                    message: "entity references are not allowed")
            default:
                continue
            }
        }
    }

    /// The value of the attribute with local name `name` on the current start element (any namespace), or `nil`.
    func attribute(_ name: String) -> String? {
        var result: String?
        guard belay_xml_move_to_first_attribute(reader) == 1 else { return nil }
        repeat {
            if let local = belay_xml_local_name(reader), String(cString: local) == name,
               let value = belay_xml_value(reader) {
                result = String(cString: value)
                break
            }
        } while belay_xml_move_to_next_attribute(reader) == 1
        _ = belay_xml_move_to_element(reader)
        return result
    }

    /// The attributes (local name, value) of the current start element.
    func attributes() -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        guard belay_xml_move_to_first_attribute(reader) == 1 else { return result }
        repeat {
            if let local = belay_xml_local_name(reader), let value = belay_xml_value(reader) {
                result.append((String(cString: local), String(cString: value)))
            }
        } while belay_xml_move_to_next_attribute(reader) == 1
        _ = belay_xml_move_to_element(reader)
        return result
    }

    /// The current line in the document (1-based), for error messages.
    var line: Int { Int(belay_xml_line(reader)) }

    private func localName() -> String {
        guard let name = belay_xml_local_name(reader) else { return "" }
        return String(cString: name)
    }

    private func lastError() -> XMLParseError {
        var line: Int32 = 0
        var code: Int32 = 0
        if let message = belay_xml_last_error(&line, &code) {
            var text = String(cString: message)
            while text.last == "\n" || text.last == " " { text.removeLast() }
            return XMLParseError(line: Int(line), message: "malformed XML: \(text)")
        }
        return XMLParseError(line: self.line, message: "malformed XML")
    }
}
