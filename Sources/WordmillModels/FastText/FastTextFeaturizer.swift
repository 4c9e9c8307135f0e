/// Turns a document into the classifier's input rows as fastText's `Dictionary::getLine`
/// does: the rows of its words that are in the vocabulary (others are dropped), fastText's
/// end-of-line word `</s>` after them, then the hashed word n-grams over all of those words,
/// unknown ones included by their own hash.
public struct FastTextFeaturizer: Sendable {
    /// The word fastText reads at every line's end; every document ends with it.
    public static let endOfLine = "</s>"
    public let words: [String]
    public let bucket: Int
    public let wordNgrams: Int
    private let hashes: [UInt32]
    private let index: [String: Int32]
    private let endRow: Int32

    /// `words` must contain `endOfLine` (`vocabulary(adding:)` makes sure of it).
    public init(words: [String], bucket: Int, wordNgrams: Int) {
        self.words = words
        self.bucket = bucket
        self.wordNgrams = wordNgrams
        hashes = words.map(FastTextHash.word)
        index = Dictionary(words.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { a, _ in a })
        endRow = index[FastTextFeaturizer.endOfLine]!
    }

    /// A vocabulary with `endOfLine` appended when it lacks it.
    public static func vocabulary(adding words: [String]) -> [String] {
        words.contains(endOfLine) ? words : words + [endOfLine]
    }

    /// The rows of a document given as vocabulary ids; ids equal to `unknown` are not rows
    /// of their own but take part in the n-grams by their word's hash.
    public func rows(ids: ArraySlice<Int32>, unknown: Int32?, into rows: inout [Int32], scratch: inout [UInt32]) {
        rows.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        for id in ids {
            if id != unknown { rows.append(id) }
            scratch.append(hashes[Int(id)])
        }
        finish(&rows, &scratch)
    }

    /// The rows of a document given as tokens (words outside the vocabulary hashed as they are).
    public func rows(tokens: [String], into rows: inout [Int32], scratch: inout [UInt32]) {
        rows.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        for token in tokens {
            if let id = index[token] {
                rows.append(id)
                scratch.append(hashes[Int(id)])
            } else {
                scratch.append(FastTextHash.word(token))
            }
        }
        finish(&rows, &scratch)
    }

    private func finish(_ rows: inout [Int32], _ scratch: inout [UInt32]) {
        rows.append(endRow)
        scratch.append(hashes[Int(endRow)])
        scratch.withUnsafeBufferPointer { FastTextHash.appendWordNgramRows($0, n: wordNgrams, bucket: bucket, firstRow: words.count, to: &rows) }
    }
}
