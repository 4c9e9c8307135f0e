import Foundation
import WordmillArtifacts
import WordmillSupport

/// How a corpus file holds its documents and their labels.
public enum CorpusFormat: Sendable, Equatable {
    /// One unlabelled document per line.
    case lines
    /// `label<TAB>text` per line (the label is everything before the first tab); with a
    /// `labelSeparator` the label column holds several labels separated by it.
    case tsv(labelSeparator: String?)
    /// One JSON object per line; the text and the label are string fields (an integer label
    /// is taken as its decimal spelling); with `multiLabel` the label field may also be an
    /// array of them.
    case jsonl(textField: String, labelField: String?, multiLabel: Bool)
    /// The whole file is one document, labelled with the name of the folder holding it.
    case folders

    /// Whether a document may have several labels.
    public var isMultiLabel: Bool {
        switch self {
        case .tsv(let separator): return separator != nil
        case .jsonl(_, let label, let multi): return label != nil && multi
        case .lines, .folders: return false
        }
    }

    /// Whether documents in this format carry labels.
    public var isLabelled: Bool {
        switch self {
        case .lines: return false
        case .tsv, .folders: return true
        case .jsonl(_, let label, _): return label != nil
        }
    }
}

/// A line that does not have the shape its format needs (the `on_error` policy decides).
public struct MalformedDocument: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let reason: String
    /// Where the line starts in the file.
    public var offset = 0
    public var description: String { "\(path):\(line): \(reason)" }
}

/// Streams the documents of one corpus file in a given format.
public struct CorpusDocuments {
    /// One document: its labels (none when unlabelled; several only in a multi-label format),
    /// its text as UTF-8 bytes (possibly invalid: the caller checks), the line it came from and
    /// the byte offset of the text.
    public struct Document {
        public var labels: [String]
        public var text: UnsafeBufferPointer<UInt8>
        public var line: Int
        public var textOffset: Int
        /// Where the document's line starts in the file (0 for a whole-file document).
        public var offset: Int
    }

    public let path: String
    public let format: CorpusFormat

    public init(path: String, format: CorpusFormat) {
        self.path = path
        self.format = format
    }

    /// Calls `body` per document in file order. Blank lines are passed to `blank` (with their
    /// offset) and skipped; a malformed line goes to `malformed`, which throws to stop or
    /// returns to skip it. Returns the XXH64 of the file's bytes as read.
    @discardableResult
    public func forEach(
        blank: (_ offset: Int) -> Void,
        malformed: (MalformedDocument) throws -> Void,
        _ body: (Document) throws -> Void
    ) throws -> UInt64 {
        switch format {
        case .folders:
            let bytes = try FileSystem.readFile(path)
            let folder = FileSystem.baseName(of: FileSystem.parent(of: path))
            try bytes.withUnsafeBufferPointer { try body(Document(labels: [folder], text: $0, line: 1, textOffset: 0, offset: 0)) }
            return XXH64.hash(bytes)
        case .lines:
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(offset); return }
                try body(Document(labels: [], text: line, line: number, textOffset: offset, offset: offset))
            }
        case .tsv(let separator):
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(offset); return }
                guard let tab = line.firstIndex(of: 0x09) else {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "expected label<TAB>text, found no tab", offset: offset))
                }
                let label = UnsafeBufferPointer(rebasing: line[0..<tab])
                if isBlank(label) {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "the label before the tab is empty", offset: offset))
                }
                let column = String(decoding: label, as: UTF8.self)
                var labels = [column]
                if let separator {
                    labels = column.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
                    if labels.contains(where: \.isEmpty) {
                        return try malformed(MalformedDocument(path: path, line: number, reason: "an empty label in \(column.debugDescription) (labels separated by \(separator.debugDescription))", offset: offset))
                    }
                }
                try body(Document(labels: labels, text: UnsafeBufferPointer(rebasing: line[(tab + 1)...]), line: number, textOffset: offset + tab + 1, offset: offset))
            }
        case .jsonl(let textField, let labelField, let multiLabel):
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(offset); return }
                let value: JSONValue
                do { value = try JSONParser.parse(Array(line)) } catch let error as JSONSyntaxError {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "invalid JSON at column \(error.column): \(error.reason)", offset: offset))
                }
                guard case .object(let object) = value else {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "expected a JSON object, found \(value.typeName)", offset: offset))
                }
                guard let text = object[textField]?.stringValue else {
                    let found = object[textField]?.typeName ?? "nothing"
                    return try malformed(MalformedDocument(path: path, line: number, reason: "field \"\(textField)\" should be a string, found \(found)", offset: offset))
                }
                var labels: [String] = []
                if let labelField {
                    /// A label value: a non-empty string or an integer's decimal spelling.
                    func label(_ value: JSONValue?) -> String? {
                        switch value {
                        case .string(let s) where !s.isEmpty: return s
                        case .int(let i): return String(i)
                        default: return nil
                        }
                    }
                    if let one = label(object[labelField]) {
                        labels = [one]
                    } else if multiLabel, let array = object[labelField]?.arrayValue, !array.isEmpty, array.allSatisfy({ label($0) != nil }) {
                        labels = array.compactMap(label)
                    } else {
                        let found = object[labelField]?.typeName ?? "nothing"
                        let expected = multiLabel ? "a non-empty string, an integer or a non-empty array of them" : "a non-empty string or an integer"
                        return try malformed(MalformedDocument(path: path, line: number, reason: "field \"\(labelField)\" should be \(expected), found \(found)", offset: offset))
                    }
                }
                var bytes = Array(text.utf8)
                try bytes.withUnsafeMutableBufferPointer {
                    try body(Document(labels: labels, text: UnsafeBufferPointer($0), line: number, textOffset: offset, offset: offset))
                }
            }
        }
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
