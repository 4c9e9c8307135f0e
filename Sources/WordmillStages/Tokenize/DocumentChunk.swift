import WordmillArtifacts
import WordmillText

/// Documents read from the corpus, copied into one buffer so a worker thread can tokenize
/// them while the reader goes on.
struct DocumentChunk: @unchecked Sendable {
    /// Chunks close at about this many bytes of text.
    static let targetBytes = 1 << 18

    struct Document {
        var start: Int
        var end: Int
        var label: String?
        var file: String
        var line: Int
        /// Byte offset of the text in its file, for error messages.
        var textOffset: Int
        var isTest: UInt8
    }

    var text: [UInt8] = []
    var documents: [Document] = []

    mutating func add(_ document: CorpusDocuments.Document, file: String, isTest: UInt8) {
        let start = text.count
        text.append(contentsOf: document.text)
        documents.append(Document(start: start, end: text.count, label: document.label, file: file, line: document.line,
                                  textOffset: document.textOffset, isTest: isTest))
    }

    /// Checks and tokenizes every document: each becomes a `tokens` record (varint count,
    /// then the tokens), invalid UTF-8 replaced (its offset noted for the strict policy).
    func tokenize(with tokenizer: Tokenizer) -> TokenizedChunk {
        var done = TokenizedChunk(chunk: self)
        done.records.reserveCapacity(text.count + text.count / 2)
        var scratch: [UInt8] = []
        var tokens: [UInt8] = []
        text.withUnsafeBufferPointer { all in
            for document in documents {
                let line = UnsafeBufferPointer(rebasing: all[document.start..<document.end])
                tokens.removeAll(keepingCapacity: true)
                var count = 0
                let invalid = UTF8Check.firstInvalidOffset(line)
                if invalid != nil {
                    tokenizer.tokenize(String(decoding: line, as: UTF8.self)) { RecordCoding.appendString($0, to: &tokens); count += 1 }
                } else {
                    tokenizer.tokenize(utf8: line, scratch: &scratch) { RecordCoding.appendString($0, to: &tokens); count += 1 }
                }
                RecordCoding.appendVarint(count, to: &done.records)
                done.records.append(contentsOf: tokens)
                done.recordStarts.append(done.records.count)
                done.tokenCounts.append(count)
                done.invalidOffsets.append(invalid ?? -1)
            }
        }
        return done
    }
}

/// A chunk's documents as `tokens` records, in order.
struct TokenizedChunk: @unchecked Sendable {
    let chunk: DocumentChunk
    var records: [UInt8] = []
    /// Record i spans `records[recordStarts[i]..<recordStarts[i + 1]]`.
    var recordStarts: [Int] = [0]
    var tokenCounts: [Int] = []
    /// Offset of the first invalid UTF-8 byte in each document's text, or −1.
    var invalidOffsets: [Int] = []

    init(chunk: DocumentChunk) { self.chunk = chunk }
}
