import WordmillNumerics

/// Words with their vectors (row-major V×D), and the queries people run on them: nearest
/// neighbours by cosine similarity and analogies.
///
/// Rows are normalised once at construction (zero rows stay zero, so their cosine with
/// anything is 0); every query is then one BLAS sgemv per query vector. Equal scores are
/// ordered by the lower row.
public struct EmbeddingTable: Sendable {
    /// The words, row by row.
    public let words: [String]
    /// D, the width of each vector.
    public let dim: Int
    /// V×D values, row-major, as given.
    public let vectors: [Float]
    /// Word → row; for a repeated word, its first row.
    let index: [String: Int]
    /// `vectors` with each row scaled to unit length (zero rows stay zero).
    let unitVectors: [Float]

    /// A table of `words.count` rows of `dim` values; `vectors.count` must be `words.count × dim`.
    /// A word listed twice is found at its first row (the later row is still a candidate answer).
    public init(words: [String], dim: Int, vectors: [Float]) {
        precondition(dim > 0, "an embedding table needs dim ≥ 1, got \(dim)")
        precondition(vectors.count == words.count * dim,
                     "\(words.count) words × \(dim) dimensions ≠ \(vectors.count) values")
        self.words = words
        self.dim = dim
        self.vectors = vectors
        var index: [String: Int] = [:]
        index.reserveCapacity(words.count)
        for (row, word) in words.enumerated() where index[word] == nil { index[word] = row }
        self.index = index
        var unit = vectors
        unit.withUnsafeMutableBufferPointer { u in
            for r in 0..<words.count {
                let row = u.baseAddress! + r * dim
                var norm = 0.0
                for j in 0..<dim { norm += Double(row[j]) * Double(row[j]) }
                guard norm > 0 else { continue }
                let inverse = Float(1 / norm.squareRoot())
                for j in 0..<dim { row[j] *= inverse }
            }
        }
        unitVectors = unit
    }

    /// The number of rows (V).
    public var count: Int { words.count }

    /// The row of `word`, if present.
    public func row(of word: String) -> Int? { index[word] }

    /// The vector of `word` as stored (not normalised), if present.
    public func vector(of word: String) -> [Float]? {
        guard let r = index[word] else { return nil }
        return Array(vectors[(r * dim)..<((r + 1) * dim)])
    }

    /// The row of `word`, or `EmbeddingError.unknownWord`.
    func requireRow(_ word: String) throws(EmbeddingError) -> Int {
        guard let r = index[word] else { throw .unknownWord(word, vocabularySize: words.count) }
        return r
    }

    /// The unit-length row `r`.
    func unitRow(_ r: Int) -> [Float] { Array(unitVectors[(r * dim)..<((r + 1) * dim)]) }
}
