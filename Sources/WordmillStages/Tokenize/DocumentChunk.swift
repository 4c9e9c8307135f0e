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
        var scratch: [UInt8] = []
        return encode { line, emit in tokenizer.tokenize(utf8: line, scratch: &scratch, emit) }
    }

    /// The same through MeCab: one tagger per chunk over the shared model (taggers are not
    /// thread-safe; the model is), morphemes as tokens.
    func tokenize(mecab model: MecabModel, options: MecabOptions) throws -> TokenizedChunk {
        let tagger = try MecabTagger(model: model, options: options)
        return try encode { line, emit in try tagger.tokenize(utf8: line, emit) }
    }

    /// Runs `split` on every document (valid UTF-8: a line with invalid bytes is passed with
    /// them replaced by U+FFFD) and encodes the tokens it emits as records.
    private func encode(
        _ split: (UnsafeBufferPointer<UInt8>, (UnsafeBufferPointer<UInt8>) -> Void) throws -> Void
    ) rethrows -> TokenizedChunk {
        var done = TokenizedChunk(chunk: self)
        done.records.reserveCapacity(text.count + text.count / 2)
        var tokens: [UInt8] = []
        try text.withUnsafeBufferPointer { all in
            for document in documents {
                let line = UnsafeBufferPointer(rebasing: all[document.start..<document.end])
                tokens.removeAll(keepingCapacity: true)
                var count = 0
                let emit = { (token: UnsafeBufferPointer<UInt8>) in RecordCoding.appendString(token, to: &tokens); count += 1 }
                let invalid = UTF8Check.firstInvalidOffset(line)
                if invalid != nil {
                    let repaired = Array(String(decoding: line, as: UTF8.self).utf8)
                    try repaired.withUnsafeBufferPointer { try split($0, emit) }
                } else {
                    try split(line, emit)
                }
                done.append(tokens: tokens, count: count, invalidOffset: invalid)
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

    /// Adds one document: its encoded tokens (each length-prefixed), their count, and where
    /// its first invalid UTF-8 byte was (nil: none).
    mutating func append(tokens: [UInt8], count: Int, invalidOffset: Int?) {
        RecordCoding.appendVarint(count, to: &records)
        records.append(contentsOf: tokens)
        recordStarts.append(records.count)
        tokenCounts.append(count)
        invalidOffsets.append(invalidOffset ?? -1)
    }
}
