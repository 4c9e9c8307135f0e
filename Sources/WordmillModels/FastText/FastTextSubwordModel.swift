/// A trained fastText subword model, as queries and exports read it: each word's own input
/// row, the n-gram buckets some word uses with their rows (every other bucket keeps its
/// seeded start, `FastTextSubwords.initialRow`, and is rebuilt when asked for), and the
/// word vectors fastText's `get_word_vector` gives: the mean of a word's own row and its
/// n-grams' rows. A word outside the vocabulary gets the mean of its n-grams' rows (zeros
/// when it has none), as `fasttext print-word-vectors` does.
public struct FastTextSubwordModel: Sendable {
    public let words: [String]
    public let dim: Int
    public let minn: Int
    public let maxn: Int
    public let bucket: Int
    /// The seed of the buckets' starting values.
    public let seed: UInt64
    /// V×D: each word's own input row.
    public let wordRows: [Float]
    /// The buckets some word uses, ascending, and their rows (usedBuckets.count × D).
    public let usedBuckets: [Int32]
    public let bucketRows: [Float]
    /// V×D: each word's vector, the mean of its own row and its n-grams' rows.
    public let wordVectors: [Float]
    private let index: [String: Int]

    public init(words: [String], dim: Int, minn: Int, maxn: Int, bucket: Int, seed: UInt64, wordRows: [Float], usedBuckets: [Int32], bucketRows: [Float]) {
        precondition(wordRows.count == words.count * dim && bucketRows.count == usedBuckets.count * dim)
        (self.words, self.dim, self.minn, self.maxn, self.bucket, self.seed) = (words, dim, minn, maxn, bucket, seed)
        (self.wordRows, self.usedBuckets, self.bucketRows) = (wordRows, usedBuckets, bucketRows)
        index = Dictionary(words.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var vectors = [Float](repeating: 0, count: words.count * dim)
        var buckets: [Int32] = [], row = [Float](repeating: 0, count: dim)
        for (w, word) in words.enumerated() {
            buckets.removeAll(keepingCapacity: true)
            FastTextSubwords.appendBuckets(of: word, minn: minn, maxn: maxn, bucket: bucket, to: &buckets)
            for j in 0..<dim { vectors[w * dim + j] = wordRows[w * dim + j] }
            for b in buckets {
                FastTextSubwordModel.bucketRow(Int(b), usedBuckets: usedBuckets, bucketRows: bucketRows, seed: seed, dim: dim, into: &row)
                for j in 0..<dim { vectors[w * dim + j] += row[j] }
            }
            let scale = 1 / Float(buckets.count + 1)
            for j in 0..<dim { vectors[w * dim + j] *= scale }
        }
        wordVectors = vectors
    }

    /// The row of bucket `b`: stored when some word uses it, else its seeded start.
    public func bucketRow(_ b: Int, into row: inout [Float]) {
        FastTextSubwordModel.bucketRow(b, usedBuckets: usedBuckets, bucketRows: bucketRows, seed: seed, dim: dim, into: &row)
    }

    private static func bucketRow(_ b: Int, usedBuckets: [Int32], bucketRows: [Float], seed: UInt64, dim: Int, into row: inout [Float]) {
        var lo = 0, hi = usedBuckets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(usedBuckets[mid]) < b { lo = mid + 1 } else { hi = mid }
        }
        if lo < usedBuckets.count && Int(usedBuckets[lo]) == b {
            for j in 0..<dim { row[j] = bucketRows[lo * dim + j] }
        } else {
            row.withUnsafeMutableBufferPointer { FastTextSubwords.initialRow(bucket: b, seed: seed, dim: dim, into: $0.baseAddress!) }
        }
    }

    /// Whether `word` is in the vocabulary.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// The vector of any word: its stored vector in the vocabulary, else its n-grams' mean.
    public func vector(of word: String) -> [Float] {
        if let w = index[word] { return Array(wordVectors[(w * dim)..<((w + 1) * dim)]) }
        var buckets: [Int32] = []
        FastTextSubwords.appendBuckets(of: word, minn: minn, maxn: maxn, bucket: bucket, to: &buckets)
        var sum = [Float](repeating: 0, count: dim), row = [Float](repeating: 0, count: dim)
        guard !buckets.isEmpty else { return sum }
        for b in buckets {
            bucketRow(Int(b), into: &row)
            for j in 0..<dim { sum[j] += row[j] }
        }
        let scale = 1 / Float(buckets.count)
        return sum.map { $0 * scale }
    }
}

extension Word2VecTrainer {
    /// The trained subword model (the trainer must have subwords).
    public func subwordModel(words: [String]) -> FastTextSubwordModel {
        guard let subwords, let settings = config.subwords else { preconditionFailure("a word2vec model has no subwords") }
        let used = subwords.usedBuckets, all = trainedInputRows(usedBuckets: used), d = config.dim
        return FastTextSubwordModel(words: words, dim: d, minn: settings.minn, maxn: settings.maxn, bucket: settings.bucket, seed: ngramSeed,
                                    wordRows: Array(all[0..<(vocabularySize * d)]), usedBuckets: used, bucketRows: Array(all[(vocabularySize * d)...]))
    }

    /// Starts training from an earlier subword model (fastText's users continuing a model on
    /// new data): every n-gram bucket takes the model's row (its unused buckets' seeded starts
    /// included, so `ngramSeed` becomes the model's seed), and each word of `words` (this
    /// trainer's vocabulary) that the model knows takes its row, and its output row when
    /// `outputVectors` (the model's negative-sampling rows) is given. Returns how many words matched.
    @discardableResult
    public func continueFrom(_ model: FastTextSubwordModel, outputVectors: [Float]?, words: [String]) -> Int {
        guard let settings = config.subwords else { preconditionFailure("a word2vec model has no subwords") }
        precondition(model.dim == config.dim && model.minn == settings.minn && model.maxn == settings.maxn && model.bucket == settings.bucket)
        precondition(words.count == vocabularySize && outputVectors.map { $0.count == model.words.count * config.dim } ?? true)
        let d = config.dim, first = inputVectors + vocabularySize * d
        if model.seed != ngramSeed {
            for b in 0..<settings.bucket { FastTextSubwords.initialRow(bucket: b, seed: model.seed, dim: d, into: first + b * d) }
            ngramSeed = model.seed
        }
        model.bucketRows.withUnsafeBufferPointer { rows in
            for (k, b) in model.usedBuckets.enumerated() { (first + Int(b) * d).update(from: rows.baseAddress! + k * d, count: d) }
        }
        let known = Dictionary(model.words.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var matched = 0
        for (w, word) in words.enumerated() {
            guard let o = known[word] else { continue }
            model.wordRows.withUnsafeBufferPointer { (inputVectors + w * d).update(from: $0.baseAddress! + o * d, count: d) }
            if let outputVectors, outputRows == vocabularySize {
                outputVectors.withUnsafeBufferPointer { (self.outputVectors + w * d).update(from: $0.baseAddress! + o * d, count: d) }
            }
            matched += 1
        }
        return matched
    }
}
