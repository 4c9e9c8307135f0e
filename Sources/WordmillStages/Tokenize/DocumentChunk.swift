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
        var labels: [String]
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
        documents.append(Document(start: start, end: text.count, labels: document.labels, file: file, line: document.line,
                                  textOffset: document.textOffset, isTest: isTest))
    }

    /// Checks and tokenizes every document: each becomes a `tokens` record (varint count,
    /// then the tokens), invalid UTF-8 replaced (its offset noted for the strict policy).
    func tokenize(with tokenizer: Tokenizer) -> TokenizedChunk {
        var scratch: [UInt8] = []
        return encode { line, sink in tokenizer.tokenize(utf8: line, scratch: &scratch) { sink.add($0) } }
    }

    /// The same through MeCab: one tagger per chunk over the shared model (taggers are not
    /// thread-safe; the model is), morphemes as tokens.
    func tokenize(mecab model: MecabModel, options: MecabOptions) throws -> TokenizedChunk {
        let tagger = try MecabTagger(model: model, options: options)
        return try encode { line, sink in try tagger.tokenize(utf8: line) { sink.add($0) } }
    }

    /// Runs `split` on every document (valid UTF-8: a line with invalid bytes is passed with
    /// them replaced by U+FFFD) and encodes the tokens it adds to the sink as records. The
    /// sink is passed `inout`, not captured, so adding a token costs no exclusivity check.
    private func encode(_ split: (UnsafeBufferPointer<UInt8>, inout TokenSink) throws -> Void) rethrows -> TokenizedChunk {
        var done = TokenizedChunk(chunk: self)
        done.records.reserveCapacity(text.count + text.count / 2)
        var sink = TokenSink()
        defer { sink.release() }
        try text.withUnsafeBufferPointer { all in
            sink.readable = all
            for document in documents {
                let line = UnsafeBufferPointer(rebasing: all[document.start..<document.end])
                sink.reset()
                let invalid = UTF8Check.firstInvalidOffset(line)
                if invalid != nil {
                    let repaired = Array(String(decoding: line, as: UTF8.self).utf8)
                    try repaired.withUnsafeBufferPointer { try split($0, &sink) }
                } else {
                    try split(line, &sink)
                }
                done.append(tokens: sink.encoded, count: sink.count, invalidOffset: invalid)
            }
        }
        return done
    }
}

/// One document's tokens as they are produced, each length-prefixed, in memory of its own:
/// adding a token is a few plain stores and a copy, with no array bookkeeping per token.
/// `release` frees it.
struct TokenSink {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var bytes = 0
    private(set) var count = 0
    /// Memory that may be read past a token's end: a short token inside it is copied as one
    /// 16-byte load and store instead of a call to memmove (3 % of the stage's time).
    var readable = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init() {
        capacity = 1 << 12
        storage = .allocate(capacity: capacity)
    }

    /// The tokens so far, each a varint length and its bytes.
    var encoded: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: bytes) }

    mutating func reset() {
        bytes = 0
        count = 0
    }

    @inline(__always)
    mutating func add(_ token: UnsafeBufferPointer<UInt8>) {
        let n = token.count
        // Room for the varint, the token and the 16 bytes a short token's copy stores.
        if bytes + n + 26 > capacity { grow(to: bytes + n + 26) }
        let start = token.baseAddress, from = readable.baseAddress
        let has16 = start != nil && from != nil && start! >= from! && start! + 16 <= from! + readable.count
        bytes += RecordCoding.putString(start, length: n, sourceHas16: has16, at: storage + bytes)
        count += 1
    }

    private mutating func grow(to needed: Int) {
        var bigger = capacity * 2
        while bigger < needed { bigger *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        fresh.update(from: storage, count: bytes)
        storage.deallocate()
        storage = fresh
        capacity = bigger
    }

    func release() { storage.deallocate() }
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
    mutating func append(tokens: UnsafeBufferPointer<UInt8>, count: Int, invalidOffset: Int?) {
        RecordCoding.appendVarint(count, to: &records)
        records.append(contentsOf: tokens)
        recordStarts.append(records.count)
        tokenCounts.append(count)
        invalidOffsets.append(invalidOffset ?? -1)
    }
}
