/// word2vec.c's Huffman tree over vocabulary counts, for hierarchical softmax: each word's
/// `code` (the left/right turns from the root, 0 or 1) and `points` (the inner nodes on
/// the way, numbered 0..<V−1, which index the rows of the output matrix).
///
/// Built exactly as word2vec.c's `CreateBinaryTree` on the words sorted by count
/// (descending, stable), so the codes match word2vec.c and gensim for the same counts.
public struct HuffmanTree: Sendable {
    /// Per word: its code bits, root first.
    public let codes: [[UInt8]]
    /// Per word: the inner nodes from the root down, same length as its code.
    public let points: [[Int32]]

    public init(counts: [Int]) {
        let v = counts.count
        precondition(v >= 2, "hierarchical softmax needs at least two words")
        // Work in word2vec.c's order: index 0 is the most frequent word.
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var count = order.map { counts[$0] } + [Int](repeating: Int.max / 4, count: v)
        var binary = [UInt8](repeating: 0, count: 2 * v)
        var parent = [Int](repeating: 0, count: 2 * v)
        var pos1 = v - 1, pos2 = v
        for a in 0..<(v - 1) {
            var mins = [0, 0]
            for m in 0..<2 {
                if pos1 >= 0, count[pos1] < count[pos2] {
                    mins[m] = pos1; pos1 -= 1
                } else {
                    mins[m] = pos2; pos2 += 1
                }
            }
            count[v + a] = count[mins[0]] + count[mins[1]]
            parent[mins[0]] = v + a
            parent[mins[1]] = v + a
            binary[mins[1]] = 1
        }
        var codes = [[UInt8]](repeating: [], count: v)
        var points = [[Int32]](repeating: [], count: v)
        for (rank, word) in order.enumerated() {
            var code: [UInt8] = []
            var point: [Int32] = []
            var b = rank
            while b != 2 * v - 2 {
                code.append(binary[b])
                point.append(Int32(b))
                b = parent[b]
            }
            // Root first; inner node n is stored as n − V (word2vec.c's point[i − b] = point[b] − vocab_size).
            codes[word] = code.reversed()
            points[word] = [Int32(v - 2)] + point.reversed().dropLast().map { $0 - Int32(v) }
        }
        self.codes = codes
        self.points = points
    }
}
