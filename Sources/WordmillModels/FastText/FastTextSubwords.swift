import WordmillNumerics

/// fastText's character n-grams (`Dictionary::computeSubwords`), bit for bit: the word is
/// wrapped in `<` and `>`, every run of `minn…maxn` code points of that (a lone `<` or `>`
/// excepted, the whole wrapped word included when short enough) is hashed with fastText's
/// FNV-1a into one of `bucket` rows. A word listing the same n-gram twice lists its row twice.
public struct FastTextSubwords: Sendable {
    public let minn: Int
    public let maxn: Int
    public let bucket: Int
    /// The input rows of word w are `rows[offsets[w] ..< offsets[w + 1]]`: its own row w, then
    /// `wordCount + b` for each n-gram's bucket b, in fastText's order.
    public let offsets: [Int32]
    public let rows: [Int32]
    public let wordCount: Int

    /// The subword rows of every word of a vocabulary.
    public init(words: [String], minn: Int, maxn: Int, bucket: Int) {
        (self.minn, self.maxn, self.bucket, wordCount) = (minn, maxn, bucket, words.count)
        var offsets: [Int32] = [0], rows: [Int32] = [], buckets: [Int32] = []
        offsets.reserveCapacity(words.count + 1)
        for (w, word) in words.enumerated() {
            rows.append(Int32(w))
            FastTextSubwords.appendBuckets(of: word, minn: minn, maxn: maxn, bucket: bucket, to: &buckets)
            for b in buckets { rows.append(Int32(words.count) + b) }
            buckets.removeAll(keepingCapacity: true)
            offsets.append(Int32(rows.count))
        }
        (self.offsets, self.rows) = (offsets, rows)
    }

    /// The buckets (0..<bucket) of a word's n-grams, in fastText's order: by start, then length.
    public static func appendBuckets(of word: String, minn: Int, maxn: Int, bucket: Int, to buckets: inout [Int32]) {
        guard bucket > 0, maxn >= 1, maxn >= minn else { return }
        var wrapped: [UInt8] = [UInt8(ascii: "<")]
        wrapped.append(contentsOf: word.utf8)
        wrapped.append(UInt8(ascii: ">"))
        let count = wrapped.count, b = UInt32(bucket)
        @inline(__always) func continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        for i in 0..<count where !continuation(wrapped[i]) {
            var h: UInt32 = 2_166_136_261
            var j = i, n = 1
            while j < count && n <= maxn {
                repeat {
                    h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: wrapped[j])))) &* 16_777_619
                    j += 1
                } while j < count && continuation(wrapped[j])
                if n >= minn && !(n == 1 && (i == 0 || j == count)) { buckets.append(Int32(h % b)) }
                n += 1
            }
        }
    }

    /// The n-grams themselves (tests, inspection), in the order of `appendBuckets`.
    public static func ngrams(of word: String, minn: Int, maxn: Int) -> [String] {
        guard maxn >= 1, maxn >= minn else { return [] }
        let scalars = Array(("<" + word + ">").unicodeScalars)
        var out: [String] = []
        for i in scalars.indices {
            for n in max(1, minn)...maxn where i + n <= scalars.count {
                if n == 1 && (i == 0 || i + 1 == scalars.count) { continue }
                out.append(String(String.UnicodeScalarView(scalars[i..<(i + n)])))
            }
        }
        return out
    }

    /// The buckets some word of the vocabulary uses, ascending: the n-gram rows training can
    /// change. Every other bucket keeps its seeded start (`initialRow`).
    public var usedBuckets: [Int32] {
        var used = [Bool](repeating: false, count: bucket)
        for r in rows where Int(r) >= wordCount { used[Int(r) - wordCount] = true }
        return used.indices.filter { used[$0] }.map { Int32($0) }
    }

    /// The starting values of n-gram bucket `b`: uniform in [−1/dim, 1/dim) as fastText starts
    /// its input matrix, from a generator of its own seeded by (seed, b), so that a bucket no
    /// word uses can be rebuilt rather than stored.
    public static func initialRow(bucket b: Int, seed: UInt64, dim: Int, into row: UnsafeMutablePointer<Float>) {
        var g = RandomGenerator(seed: seed ^ 0x6A09_E667_F3BC_C909 ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15))
        for i in 0..<dim { row[i] = (g.nextFloat() * 2 - 1) / Float(dim) }
    }
}
