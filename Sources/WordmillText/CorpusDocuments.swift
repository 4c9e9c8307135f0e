import WordmillArtifacts
import WordmillSupport

/// How a corpus file holds its documents and their labels.
public enum CorpusFormat: Sendable, Equatable {
    /// One unlabelled document per line.
    case lines
    /// `label<TAB>text` per line (the label is everything before the first tab).
    case tsv
    /// One JSON object per line; the text and the label are string fields (an integer label
    /// is taken as its decimal spelling).
    case jsonl(textField: String, labelField: String?)
    /// The whole file is one document, labelled with the name of the folder holding it.
    case folders

    /// Whether documents in this format carry labels.
    public var isLabelled: Bool {
        switch self {
        case .lines: return false
        case .tsv, .folders: return true
        case .jsonl(_, let label): return label != nil
        }
    }
}

/// A line that does not have the shape its format needs (the `on_error` policy decides).
public struct MalformedDocument: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let reason: String
    public var description: String { "\(path):\(line): \(reason)" }
}

/// Streams the documents of one corpus file in a given format.
public struct CorpusDocuments {
    /// One document: its label (nil when unlabelled), its text as UTF-8 bytes (possibly
    /// invalid: the caller checks), the line it came from and the byte offset of the text.
    public struct Document {
        public var label: String?
        public var text: UnsafeBufferPointer<UInt8>
        public var line: Int
        public var textOffset: Int
    }

    public let path: String
    public let format: CorpusFormat

    public init(path: String, format: CorpusFormat) {
        self.path = path
        self.format = format
    }

    /// Calls `body` per document in file order. Blank lines are passed to `blank` and skipped;
    /// a malformed line goes to `malformed`, which throws to stop or returns to skip it.
    /// Returns the XXH64 of the file's bytes as read.
    @discardableResult
    public func forEach(
        blank: () -> Void,
        malformed: (MalformedDocument) throws -> Void,
        _ body: (Document) throws -> Void
    ) throws -> UInt64 {
        switch format {
        case .folders:
            let bytes = try FileSystem.readFile(path)
            let folder = FileSystem.baseName(of: FileSystem.parent(of: path))
            try bytes.withUnsafeBufferPointer { try body(Document(label: folder, text: $0, line: 1, textOffset: 0)) }
            return XXH64.hash(bytes)
        case .lines:
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(); return }
                try body(Document(label: nil, text: line, line: number, textOffset: offset))
            }
        case .tsv:
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(); return }
                guard let tab = line.firstIndex(of: 0x09) else {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "expected label<TAB>text, found no tab"))
                }
                let label = UnsafeBufferPointer(rebasing: line[0..<tab])
                if isBlank(label) {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "the label before the tab is empty"))
                }
                try body(Document(label: String(decoding: label, as: UTF8.self), text: UnsafeBufferPointer(rebasing: line[(tab + 1)...]),
                                  line: number, textOffset: offset + tab + 1))
            }
        case .jsonl(let textField, let labelField):
            return try LineReader(path: path).forEachLine { line, number, offset in
                if isBlank(line) { blank(); return }
                let value: JSONValue
                do { value = try JSONParser.parse(Array(line)) } catch let error as JSONSyntaxError {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "invalid JSON at column \(error.column): \(error.reason)"))
                }
                guard case .object(let object) = value else {
                    return try malformed(MalformedDocument(path: path, line: number, reason: "expected a JSON object, found \(value.typeName)"))
                }
                guard let text = object[textField]?.stringValue else {
                    let found = object[textField]?.typeName ?? "nothing"
                    return try malformed(MalformedDocument(path: path, line: number, reason: "field \"\(textField)\" should be a string, found \(found)"))
                }
                var label: String?
                if let labelField {
                    switch object[labelField] {
                    case .string(let s) where !s.isEmpty: label = s
                    case .int(let i): label = String(i)
                    default:
                        let found = object[labelField]?.typeName ?? "nothing"
                        return try malformed(MalformedDocument(path: path, line: number, reason: "field \"\(labelField)\" should be a non-empty string or an integer, found \(found)"))
                    }
                }
                var bytes = Array(text.utf8)
                try bytes.withUnsafeMutableBufferPointer {
                    try body(Document(label: label, text: UnsafeBufferPointer($0), line: number, textOffset: offset))
                }
            }
        }
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
