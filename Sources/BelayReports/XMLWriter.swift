/// Minimal XML text building with entity escaping (no CDATA, so `]]>` needs no special case).
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// Escapes `&`, `<`, `>` for element text (input must already be ``ReportText/xmlSafe(_:)``).
    static func escapeText(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes for a double-quoted attribute, keeping newlines, tabs and carriage returns as character
    /// references so parsers do not normalise them to spaces.
    static func escapeAttribute(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    mutating func open(_ name: String, _ attributes: [(String, String)], indent: Int, selfClosing: Bool = false) {
        text += String(repeating: "  ", count: indent) + "<" + name
        for (key, value) in attributes {
            text += " \(key)=\"\(Self.escapeAttribute(ReportText.xmlSafe(value)))\""
        }
        text += selfClosing ? "/>\n" : ">\n"
    }

    mutating func close(_ name: String, indent: Int) {
        text += String(repeating: "  ", count: indent) + "</\(name)>\n"
    }

    /// `<name attrs>text</name>` on one line (text is sanitised and escaped).
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text body: String, indent: Int) {
        text += String(repeating: "  ", count: indent) + "<" + name
        for (key, value) in attributes {
            text += " \(key)=\"\(Self.escapeAttribute(ReportText.xmlSafe(value)))\""
        }
        text += ">" + Self.escapeText(ReportText.xmlSafe(body)) + "</\(name)>\n"
    }
}
