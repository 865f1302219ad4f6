// libxml2 lives in this file (and XLSXParts.swift) only: a Swift file importing both Foundation and CLibXML2
// does not compile with Debian's ICU-enabled libxml2 (see the research notes), so keep Foundation out.
internal import CLibXML2

/// A malformed or refused XML document.
struct XMLParseError: Error {
    /// 1-based line of the problem, 0 when unknown.
    var line: Int
    var message: String
}

/// Initializes libxml2 once (thread-safe, as Swift globals are initialized lazily and atomically).
private let libxml2Initialized: Bool = {
    xmlInitParser()
    return true
}()

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

    private let buffer: UnsafeMutableBufferPointer<CChar>
    private let reader: xmlTextReaderPtr
    private var pendingEnd: String?
    private(set) var depth = 0

    init(bytes: [UInt8]) throws {
        _ = libxml2Initialized
        guard bytes.count < Int(Int32.max) else { throw XMLParseError(line: 0, message: "the document is larger than 2 GiB") }
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
        self.buffer = buffer
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress, let target = buffer.baseAddress, !raw.isEmpty {
                UnsafeMutableRawPointer(target).copyMemory(from: base, byteCount: raw.count)
            }
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue)
        guard let reader = xmlReaderForMemory(buffer.baseAddress, Int32(bytes.count), nil, nil, options) else {
            buffer.deallocate()
            throw XMLParseError(line: 0, message: "libxml2 could not create a reader")
        }
        self.reader = reader
    }

    deinit {
        xmlFreeTextReader(reader)
        buffer.deallocate()
    }

    /// The next event, or `nil` at the end of the document.
    func next() throws -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name)
        }
        while true {
            xmlResetLastError()
            let status = xmlTextReaderRead(reader)
            if status == 0 { return nil }
            guard status == 1 else { throw lastError() }
            let type = xmlTextReaderNodeType(reader)
            switch UInt32(bitPattern: type) {
            case XML_READER_TYPE_ELEMENT.rawValue:
                let name = localName()
                if xmlTextReaderIsEmptyElement(reader) == 1 { pendingEnd = name }
                return .start(name)
            case XML_READER_TYPE_END_ELEMENT.rawValue:
                return .end(localName())
            case XML_READER_TYPE_TEXT.rawValue, XML_READER_TYPE_CDATA.rawValue,
                 XML_READER_TYPE_WHITESPACE.rawValue, XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue:
                guard let value = xmlTextReaderConstValue(reader) else { continue }
                return .text(String(cString: value))
            case XML_READER_TYPE_DOCUMENT_TYPE.rawValue:
                throw XMLParseError(line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                    message: "document type declarations (DTDs) are not allowed")
            case XML_READER_TYPE_ENTITY_REFERENCE.rawValue:
                throw XMLParseError(line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                    message: "entity references are not allowed")
            default:
                continue
            }
        }
    }

    /// The value of the attribute with local name `name` on the current start element (any namespace), or `nil`.
    func attribute(_ name: String) -> String? {
        var result: String?
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return nil }
        repeat {
            if let local = xmlTextReaderConstLocalName(reader), String(cString: local) == name,
               let value = xmlTextReaderConstValue(reader) {
                result = String(cString: value)
                break
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        _ = xmlTextReaderMoveToElement(reader)
        return result
    }

    /// The attributes (local name, value) of the current start element.
    func attributes() -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return result }
        repeat {
            if let local = xmlTextReaderConstLocalName(reader), let value = xmlTextReaderConstValue(reader) {
                result.append((String(cString: local), String(cString: value)))
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        _ = xmlTextReaderMoveToElement(reader)
        return result
    }

    /// The current line in the document (1-based), for error messages.
    var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    private func localName() -> String {
        guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: name)
    }

    private func lastError() -> XMLParseError {
        var line: Int32 = 0
        var code: Int32 = 0
        if let message = clibxml2_last_error_message(&line, &code) {
            var text = String(cString: message)
            while text.last == "\n" || text.last == " " { text.removeLast() }
            return XMLParseError(line: Int(line), message: "malformed XML: \(text)")
        }
        return XMLParseError(line: self.line, message: "malformed XML")
    }
}
