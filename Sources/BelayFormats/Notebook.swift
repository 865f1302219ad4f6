import Foundation

/// A Jupyter notebook (nbformat 4): its cells in order.
public struct Notebook: Sendable {
    public var cells: [NotebookCell]
    /// The major format version (4).
    public var nbformat: Int
    /// `metadata.kernelspec.language`, else `metadata.language_info.name`.
    public var kernelLanguage: String?

    public init(cells: [NotebookCell], nbformat: Int = 4, kernelLanguage: String? = nil) {
        self.cells = cells
        self.nbformat = nbformat
        self.kernelLanguage = kernelLanguage
    }

    /// Parses an `.ipynb` file's bytes.
    ///
    /// Tolerant of what nbformat allows and editors omit: `source` and output `text` may be a string or a
    /// list of strings, and missing `metadata`, `outputs`, `execution_count` or `nbformat` take their
    /// defaults. Refused: malformed JSON, a top level that is not an object, nbformat below 4, a cell that is
    /// not an object or has an unknown `cell_type`.
    public static func parse(_ data: Data, fileName: String) throws -> Notebook {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let nsError = error as NSError
            let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
            throw NotebookError(fileName: fileName, message: "not valid JSON: \(detail)")
        }
        guard let root = object as? [String: Any] else {
            throw NotebookError(fileName: fileName, message: "the top level is not a JSON object, so this is not a notebook")
        }
        let nbformat = (root["nbformat"] as? NSNumber)?.intValue ?? 4
        guard nbformat >= 4 else {
            throw NotebookError(fileName: fileName, message: "nbformat \(nbformat) is not supported (convert it with `jupyter nbconvert --to notebook`)")
        }
        let metadata = root["metadata"] as? [String: Any]
        let language = ((metadata?["kernelspec"] as? [String: Any])?["language"] as? String)
            ?? ((metadata?["language_info"] as? [String: Any])?["name"] as? String)
        let rawCells: Any = root["cells"] ?? [Any]()
        guard let cellList = rawCells as? [Any] else {
            throw NotebookError(fileName: fileName, message: "\"cells\" is not a list")
        }
        var cells: [NotebookCell] = []
        for (index, raw) in cellList.enumerated() {
            guard let cell = raw as? [String: Any] else {
                throw NotebookError(fileName: fileName, cell: index, message: "is not a JSON object")
            }
            let typeName = cell["cell_type"] as? String ?? ""
            guard let kind = NotebookCell.Kind(rawValue: typeName) else {
                throw NotebookError(fileName: fileName, cell: index, message: "has unknown cell_type \"\(typeName)\"")
            }
            var outputs: [NotebookOutput] = []
            for output in cell["outputs"] as? [Any] ?? [] {
                guard let output = output as? [String: Any] else { continue }
                if let parsed = NotebookOutput(json: output) { outputs.append(parsed) }
            }
            cells.append(NotebookCell(kind: kind, source: joinedText(cell["source"]),
                                      executionCount: (cell["execution_count"] as? NSNumber)?.intValue,
                                      outputs: outputs, index: index))
        }
        return Notebook(cells: cells, nbformat: nbformat, kernelLanguage: language)
    }

    /// The code cells only.
    public var codeCells: [NotebookCell] { cells.filter { $0.kind == .code } }
}

/// One notebook cell.
public struct NotebookCell: Sendable {
    public enum Kind: String, Sendable {
        case code, markdown, raw
    }

    public var kind: Kind
    /// The cell's source, joined into one string.
    public var source: String
    /// The execution count of a code cell that ran, else `nil`.
    public var executionCount: Int?
    public var outputs: [NotebookOutput]
    /// 0-based position in the notebook.
    public var index: Int

    public init(kind: Kind, source: String, executionCount: Int? = nil, outputs: [NotebookOutput] = [], index: Int) {
        self.kind = kind
        self.source = source
        self.executionCount = executionCount
        self.outputs = outputs
        self.index = index
    }
}

/// One output of a code cell (the `text/plain` form of rich outputs).
public enum NotebookOutput: Sendable, Equatable {
    case stream(name: String, text: String)
    case executeResult(executionCount: Int?, text: String)
    case displayData(text: String)
    case error(ename: String, evalue: String, traceback: [String])

    /// Parses one output object; `nil` for unknown output types.
    init?(json: [String: Any]) {
        switch json["output_type"] as? String {
        case "stream":
            self = .stream(name: json["name"] as? String ?? "stdout", text: joinedText(json["text"]))
        case "execute_result":
            self = .executeResult(executionCount: (json["execution_count"] as? NSNumber)?.intValue,
                                  text: joinedText((json["data"] as? [String: Any])?["text/plain"]))
        case "display_data":
            self = .displayData(text: joinedText((json["data"] as? [String: Any])?["text/plain"]))
        case "error":
            self = .error(ename: json["ename"] as? String ?? "", evalue: json["evalue"] as? String ?? "",
                          traceback: (json["traceback"] as? [Any] ?? []).compactMap { $0 as? String })
        default:
            return nil
        }
    }
}

/// A notebook that cannot be read.
public struct NotebookError: Error, CustomStringConvertible, Sendable {
    public var fileName: String
    /// 0-based cell index, when the problem is in one cell.
    public var cell: Int?
    public var message: String

    public init(fileName: String, cell: Int? = nil, message: String) {
        self.fileName = fileName
        self.cell = cell
        self.message = message
    }

    public var description: String {
        if let cell { return "\(fileName): cell \(cell + 1): \(message)" }
        return "\(fileName): \(message)"
    }
}

/// nbformat's multiline strings: a string, or a list of strings to concatenate.
private func joinedText(_ value: Any?) -> String {
    if let text = value as? String { return text }
    if let list = value as? [Any] { return list.compactMap { $0 as? String }.joined() }
    return ""
}
