import WordmillNumerics

/// How `analogy` scores candidates.
public enum AnalogyMethod: String, Sendable, CaseIterable {
    /// 3CosAdd: cos(x, b) − cos(x, a) + cos(x, c) (Mikolov et al. 2013).
    case add
    /// 3CosMul: cos'(x, b) · cos'(x, c) / (cos'(x, a) + 0.001) with cos' = (cos + 1) / 2 (Levy & Goldberg 2014).
    case mul
}

/// A query word that the vectors do not have.
public enum EmbeddingError: Error, Sendable, CustomStringConvertible, Equatable {
    case unknownWord(String, vocabularySize: Int)

    public var description: String {
        switch self {
        case .unknownWord(let w, let n): return "\"\(w)\" is not in the vocabulary of \(n) words"
        }
    }
}

/// Words with their vectors (row-major V×D), and the queries people run on them:
/// nearest neighbours by cosine similarity and analogies.
public struct EmbeddingTable: Sendable {
    public let words: [String]
    public let dim: Int
    public let vectors: [Float]
    private let index: [String: Int]
    /// Rows scaled to unit length (zero rows stay zero), for cosine scores through one sgemv.
    private let unitVectors: [Float]

    public init(words: [String], dim: Int, vectors: [Float]) {
        precondition(dim > 0 && vectors.count == words.count * dim, "\(words.count) words × \(dim) ≠ \(vectors.count) values")
        self.words = words
        self.dim = dim
        self.vectors = vectors
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() where index[w] == nil { index[w] = i }
        self.index = index
        var unit = vectors
        for r in 0..<words.count {
            var norm: Float = 0
            for j in 0..<dim { norm += unit[r * dim + j] * unit[r * dim + j] }
            if norm > 0 {
                let inverse = 1 / norm.squareRoot()
                for j in 0..<dim { unit[r * dim + j] *= inverse }
            }
        }
        unitVectors = unit
    }

    /// The row of `word`, if present.
    public func row(of word: String) -> Int? { index[word] }

    /// The vector of `word`, if present.
    public func vector(of word: String) -> ArraySlice<Float>? {
        row(of: word).map { vectors[($0 * dim)..<(($0 + 1) * dim)] }
    }

    private func requireRow(_ word: String) throws(EmbeddingError) -> Int {
        guard let r = index[word] else { throw .unknownWord(word, vocabularySize: words.count) }
        return r
    }

    /// Cosine similarity of every row with `query` (any length-D vector).
    private func cosines(_ query: [Float]) -> [Float] {
        var q = query
        var norm: Float = 0
        for x in q { norm += x * x }
        if norm > 0 { let inv = 1 / norm.squareRoot(); for j in 0..<dim { q[j] *= inv } }
        var scores = [Float](repeating: 0, count: words.count)
        unitVectors.withUnsafeBufferPointer { a in
            q.withUnsafeBufferPointer { x in
                scores.withUnsafeMutableBufferPointer { y in
                    BLAS.sgemv(m: words.count, n: dim, alpha: 1, a: a.baseAddress!, x: x.baseAddress!, beta: 0, y: y.baseAddress!)
                }
            }
        }
        return scores
    }

    /// The `k` best rows by score, skipping `excluded`; ties go to the lower row.
    private func top(_ scores: [Float], k: Int, excluding excluded: Set<Int>) -> [(word: String, similarity: Float)] {
        let candidates = scores.indices.filter { !excluded.contains($0) }
        let best = candidates.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k)
        return best.map { (words[$0], scores[$0]) }
    }

    /// The `k` words nearest to `word` by cosine similarity, the word itself excluded.
    public func nearest(to word: String, k: Int) throws(EmbeddingError) -> [(word: String, similarity: Float)] {
        let r = try requireRow(word)
        return top(cosines(Array(unitVectors[(r * dim)..<((r + 1) * dim)])), k: k, excluding: [r])
    }

    /// The `k` words nearest to a vector, skipping the given words.
    public func nearest(vector: [Float], k: Int, excluding: Set<String> = []) -> [(word: String, similarity: Float)] {
        precondition(vector.count == dim)
        return top(cosines(vector), k: k, excluding: Set(excluding.compactMap { index[$0] }))
    }

    /// "`a` is to `b` as `c` is to ?": the `k` best answers, a, b and c excluded.
    public func analogy(_ a: String, _ b: String, _ c: String, k: Int, method: AnalogyMethod) throws(EmbeddingError) -> [(word: String, similarity: Float)] {
        let ra = try requireRow(a), rb = try requireRow(b), rc = try requireRow(c)
        func unit(_ r: Int) -> [Float] { Array(unitVectors[(r * dim)..<((r + 1) * dim)]) }
        let ca = cosines(unit(ra)), cb = cosines(unit(rb)), cc = cosines(unit(rc))
        var scores = [Float](repeating: 0, count: words.count)
        for i in 0..<words.count {
            switch method {
            case .add: scores[i] = cb[i] - ca[i] + cc[i]
            case .mul: scores[i] = ((cb[i] + 1) / 2) * ((cc[i] + 1) / 2) / ((ca[i] + 1) / 2 + 0.001)
            }
        }
        return top(scores, k: k, excluding: [ra, rb, rc])
    }
}
