import WordmillNumerics

extension EmbeddingTable {
    /// The `k` words nearest to `word` by cosine similarity, best first, the word's own row
    /// excluded; throws `EmbeddingError.unknownWord` for a word not in the table.
    public func nearest(to word: String, k: Int) throws(EmbeddingError) -> [(word: String, similarity: Float)] {
        let r = try requireRow(word)
        return top(cosines(unitRow(r)), k: k, excluding: [r])
    }

    /// The `k` words nearest to a length-D vector by cosine similarity, best first, skipping
    /// the rows of the words in `excluding` (words not in the table are ignored).
    public func nearest(vector: [Float], k: Int, excluding: Set<String> = []) -> [(word: String, similarity: Float)] {
        precondition(vector.count == dim, "a query vector needs \(dim) values, got \(vector.count)")
        return top(cosines(vector), k: k, excluding: Set(excluding.compactMap { index[$0] }))
    }

    /// "`a` is to `b` as `c` is to ?": the `k` best answers with their scores under `method`,
    /// best first, the rows of a, b and c excluded. Throws `EmbeddingError.unknownWord` for
    /// the first of a, b, c not in the table.
    public func analogy(_ a: String, _ b: String, _ c: String, k: Int,
                        method: AnalogyMethod) throws(EmbeddingError) -> [(word: String, similarity: Float)] {
        let ra = try requireRow(a), rb = try requireRow(b), rc = try requireRow(c)
        let ca = cosines(unitRow(ra)), cb = cosines(unitRow(rb)), cc = cosines(unitRow(rc))
        var scores = [Float](repeating: 0, count: words.count)
        for i in 0..<words.count {
            switch method {
            case .add:
                scores[i] = cb[i] - ca[i] + cc[i]
            case .mul:
                scores[i] = ((cb[i] + 1) / 2) * ((cc[i] + 1) / 2) / ((ca[i] + 1) / 2 + 0.001)
            }
        }
        return top(scores, k: k, excluding: [ra, rb, rc])
    }

    /// The cosine of every row with `query` (any length-D vector; a zero query gives zeros).
    func cosines(_ query: [Float]) -> [Float] {
        var q = query
        var norm = 0.0
        for x in q { norm += Double(x) * Double(x) }
        if norm > 0 {
            let inverse = Float(1 / norm.squareRoot())
            for j in q.indices { q[j] *= inverse }
        }
        var scores = [Float](repeating: 0, count: words.count)
        guard !words.isEmpty else { return scores }
        unitVectors.withUnsafeBufferPointer { u in
            q.withUnsafeBufferPointer { x in
                scores.withUnsafeMutableBufferPointer { y in
                    BLAS.sgemv(m: words.count, n: dim, alpha: 1, a: u.baseAddress!, x: x.baseAddress!, beta: 0, y: y.baseAddress!)
                }
            }
        }
        return scores
    }

    /// The `k` best rows by score, skipping `excluded`: higher score first, the lower row
    /// first among equal scores, NaN scores last. Keeps a sorted list of at most k rows.
    func top(_ scores: [Float], k: Int, excluding excluded: Set<Int>) -> [(word: String, similarity: Float)] {
        guard k > 0 else { return [] }
        func key(_ i: Int) -> Float { scores[i].isNaN ? -.infinity : scores[i] }
        /// Whether row i ranks before row j.
        func before(_ i: Int, _ j: Int) -> Bool { key(i) != key(j) ? key(i) > key(j) : i < j }
        var best: [Int] = []
        best.reserveCapacity(min(k, scores.count) + 1)
        for i in scores.indices where !excluded.contains(i) {
            if best.count == k, !before(i, best[k - 1]) { continue }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(best[mid], i) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(i, at: lo)
            if best.count > k { best.removeLast() }
        }
        return best.map { (words[$0], scores[$0]) }
    }
}
