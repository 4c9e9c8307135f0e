import Foundation
import WordmillNumerics

/// Where a GloVe trainer reads co-occurrence entries: `frames` groups of entries, loaded
/// one at a time as (i, j, count) into the given arrays.
public struct GloVeCorpus {
    public let frames: Int
    public let entries: Int
    public let load: (_ frame: Int, _ rows: inout [Int32], _ columns: inout [Int32], _ counts: inout [Float]) throws -> Void

    public init(frames: Int, entries: Int, load: @escaping (Int, inout [Int32], inout [Int32], inout [Float]) throws -> Void) {
        self.frames = frames
        self.entries = entries
        self.load = load
    }
}

/// Why training stopped.
public struct GloVeDiverged: Error, CustomStringConvertible {
    public let epoch: Int
    public var description: String { "GloVe training diverged (NaN or infinite loss) in epoch \(epoch); lower lr or check the co-occurrence counts" }
}

/// Stanford GloVe's training (glove.c): AdaGrad on ½ f(X_ij)(w_i·w̃_j + b_i + b̃_j − log X_ij)²
/// over the nonzero entries, every parameter's squared-gradient sum starting at 1, vectors
/// and biases starting uniform in ±0.5/dim, gradient components clipped to ±100, and — as
/// today's glove.c does — the biases stepping by f·diff/√G without the learning rate. Entries are read `shuffleBytes` at a time (frames
/// in random order) and shuffled in memory; every epoch then takes each block's 8192-entry
/// chunks in a new random order and reshuffles each chunk (Stanford shuffles once and keeps
/// that order). Threads share the parameters without locks (Hogwild), each taking a slice of
/// the chunks.
/// The matrices of a trained GloVe model.
public enum GloVeMatrix: Sendable {
    /// What the model exports: W + W̃, or W alone (`GloVeConfig.vectors`).
    case exported
    /// W, the word vectors.
    case word
    /// W̃, the context vectors.
    case context
}

public final class GloVeTrainer: @unchecked Sendable {
    public let config: GloVeConfig
    public let vocabularySize: Int
    /// The parameters and their AdaGrad sums live in buffers the class owns, so the Hogwild
    /// threads can share raw pointers to them. Each word's row holds its vector then its
    /// vector's squared-gradient sums (2 × dim floats), so an update touches two contiguous
    /// rows, one per matrix, that the loop can prefetch.
    private let wordRows, contextRows: UnsafeMutableBufferPointer<Float>
    private let bw, bc, gbw, gbc: UnsafeMutableBufferPointer<Float>

    public init(config: GloVeConfig, vocabularySize: Int) {
        self.config = config
        self.vocabularySize = vocabularySize
        let dim = config.dim
        func buffer(_ count: Int, _ value: Float) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            b.initialize(repeating: value)
            return b
        }
        (wordRows, contextRows) = (buffer(vocabularySize * 2 * dim, 1), buffer(vocabularySize * 2 * dim, 1))
        (bw, bc, gbw, gbc) = (buffer(vocabularySize, 0), buffer(vocabularySize, 0), buffer(vocabularySize, 1), buffer(vocabularySize, 1))
        var random = RandomGenerator(seed: config.seed)
        let scale = 1 / Float(dim)
        for rows in [wordRows, contextRows] {
            for v in 0..<vocabularySize { for k in 0..<dim { rows[v * 2 * dim + k] = (random.nextFloat() - 0.5) * scale } }
        }
        for b in [bw, bc] { for k in b.indices { b[k] = (random.nextFloat() - 0.5) * scale } }
    }

    deinit {
        for b in [wordRows, contextRows, bw, bc, gbw, gbc] { b.deallocate() }
    }

    /// The vectors of one matrix, V × dim.
    private func vectors(_ rows: UnsafeMutableBufferPointer<Float>) -> [Float] {
        let dim = config.dim
        var out = [Float]()
        out.reserveCapacity(vocabularySize * dim)
        for v in 0..<vocabularySize { out.append(contentsOf: rows[(v * 2 * dim)..<(v * 2 * dim + dim)]) }
        return out
    }

    /// W (word vectors), V × dim.
    public var wordVectors: [Float] { vectors(wordRows) }
    /// W̃ (context vectors), V × dim.
    public var contextVectors: [Float] { vectors(contextRows) }
    public var wordBiases: [Float] { Array(bw) }
    public var contextBiases: [Float] { Array(bc) }

    /// Calls `body` with every value of W + W̃ (or W, as `config.vectors` says: `exported`),
    /// W or W̃, row by row, without building the matrix.
    public func forEachValue(of matrix: GloVeMatrix, _ body: (Float) throws -> Void) rethrows {
        let dim = config.dim
        let sum = matrix == .exported && config.vectors == .sum
        let rows = matrix == .context ? contextRows : wordRows
        for v in 0..<vocabularySize {
            let start = v * 2 * dim
            for k in start..<(start + dim) { try body(sum ? wordRows[k] + contextRows[k] : rows[k]) }
        }
    }

    /// Calls `body` with the buffers a checkpoint keeps, by section name (`State`'s fields in
    /// order), without copying them.
    public func withStateBuffers<R>(_ body: ([(name: String, values: UnsafeBufferPointer<Float>)]) throws -> R) rethrows -> R {
        try body([("word_rows", wordRows), ("context_rows", contextRows), ("word_biases", bw), ("context_biases", bc),
                  ("word_bias_sums", gbw), ("context_bias_sums", gbc)].map { ($0.0, UnsafeBufferPointer($0.1)) })
    }

    /// The vectors to export: W + W̃ or W.
    public var outputVectors: [Float] {
        config.vectors == .input ? wordVectors : zip(wordVectors, contextVectors).map { $0 + $1 }
    }

    /// The same buffers, writable: a checkpoint is read straight into them (reading it into
    /// arrays first would hold a second copy of the parameters while it is restored).
    public func withMutableStateBuffers<R>(_ body: ([(name: String, values: UnsafeMutableBufferPointer<Float>)]) throws -> R) rethrows -> R {
        try body([("word_rows", wordRows), ("context_rows", contextRows), ("word_biases", bw), ("context_biases", bc),
                  ("word_bias_sums", gbw), ("context_bias_sums", gbc)])
    }

    /// Trains epochs `startEpoch + 1 … epochs`; `progress` hears each epoch's mean loss per
    /// entry and rate (and may checkpoint). Returns the losses of the epochs it trained.
    ///
    /// When every entry fits in one block, the block is loaded and shuffled once (with epoch
    /// 1's generator) and reshuffled chunk by chunk each epoch, so its order carries from
    /// epoch to epoch; a resumed run rebuilds that order by replaying the earlier epochs'
    /// shuffles without training, and continues exactly as the uninterrupted run.
    public func train(_ corpus: GloVeCorpus, startEpoch: Int = 0,
                      progress: (_ epoch: Int, _ loss: Double, _ entriesPerSecond: Double) throws -> Void = { _, _, _ in }) throws -> [Double] {
        var losses: [Double] = []
        let entryBytes = MemoryLayout<GloVeEntry>.stride
        let framesPerBlock = max(1, config.shuffleBytes / max(1, entryBytes * max(1, corpus.entries) / max(1, corpus.frames)))
        // When every entry fits in one block it is loaded once and reshuffled in place each epoch.
        let oneBlock = framesPerBlock >= corpus.frames
        var block: [GloVeEntry] = []
        // Room for a whole block up front: growing by doubling would hold the old and the new
        // array at once, up to three times `shuffleBytes`. Frames hold equal numbers of entries
        // but the last, so framesPerBlock + 1 frames of the mean size cover any block.
        let meanFrame = (corpus.entries + max(1, corpus.frames) - 1) / max(1, corpus.frames)
        block.reserveCapacity(oneBlock ? corpus.entries : min(corpus.entries, (framesPerBlock + 1) * meanFrame))
        var loaded = false
        var rows: [Int32] = [], columns: [Int32] = [], counts: [Float] = []
        func load(_ frames: ArraySlice<Int>, _ random: inout RandomGenerator) throws {
            block.removeAll(keepingCapacity: true)
            for frame in frames {
                try corpus.load(frame, &rows, &columns, &counts)
                for n in rows.indices { block.append(GloVeEntry(row: rows[n], column: columns[n], count: counts[n])) }
            }
            random.shuffle(&block)
            loaded = true
        }
        if oneBlock && startEpoch > 0 {
            var random = epochGenerator(1)
            var order = Array(0..<corpus.frames)
            random.shuffle(&order)
            try load(order[...], &random)
            for epoch in 1...startEpoch { reshuffleChunks(&block, epoch: epoch, blockIndex: 0, train: false) }
        }
        for epoch in (startEpoch + 1)..<(config.epochs + 1) {
            let started = Date()
            var random = epochGenerator(epoch)
            var order = Array(0..<corpus.frames)
            random.shuffle(&order)
            var cost = 0.0
            var seen = 0
            for blockStart in stride(from: 0, to: order.count, by: framesPerBlock) {
                if !(oneBlock && loaded) { try load(order[blockStart..<min(order.count, blockStart + framesPerBlock)], &random) }
                cost += reshuffleChunks(&block, epoch: epoch, blockIndex: blockStart / framesPerBlock, train: true)
                seen += block.count
            }
            let loss = cost / Double(max(1, seen))
            guard loss.isFinite else { throw GloVeDiverged(epoch: epoch) }
            losses.append(loss)
            try progress(epoch, loss, Double(seen) / max(Date().timeIntervalSince(started), 1e-9))
        }
        return losses
    }

    private func epochGenerator(_ epoch: Int) -> RandomGenerator {
        RandomGenerator(seed: config.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Entries a thread shuffles and trains on at a time (96 KiB: the shuffle stays in cache).
    static let chunkEntries = 8192

    /// Trains on a block: its chunks in a new random order, split between the threads, each
    /// chunk shuffled in place by the thread that takes it. After the block's one full
    /// shuffle at load, this reorders every epoch at the cost of cache-local work done in
    /// parallel. Returns the summed cost.
    /// With `train` false only the shuffles happen (replaying an epoch's order on resume).
    @discardableResult
    private func reshuffleChunks(_ block: inout [GloVeEntry], epoch: Int, blockIndex: Int, train: Bool) -> Double {
        let chunks = (block.count + GloVeTrainer.chunkEntries - 1) / GloVeTrainer.chunkEntries
        let threads = max(1, min(config.threads, chunks))
        var random = RandomGenerator(seed: config.seed ^ UInt64(epoch) << 40 ^ UInt64(blockIndex) << 20 ^ 0x5851_F42D_4C95_7F2D)
        var chunkOrder = Array(0..<chunks)
        random.shuffle(&chunkOrder)
        let costs = Costs(count: threads)
        defer { costs.buffer.deallocate() }
        let parameters = Parameters(self)
        let seed = config.seed
        return block.withUnsafeMutableBufferPointer { entries in
            let shared = SharedEntries(entries: entries, chunkOrder: chunkOrder)
            runOnThreads(threads) { t in
                var cost = 0.0
                for k in (shared.chunkOrder.count * t / threads)..<(shared.chunkOrder.count * (t + 1) / threads) {
                    let chunk = shared.chunkOrder[k]
                    let start = chunk * GloVeTrainer.chunkEntries, end = min(shared.entries.count, start + GloVeTrainer.chunkEntries)
                    var chunkRandom = RandomGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(chunk) &* 0xBF58_476D_1CE4_E5B9)
                    let slice = UnsafeMutableBufferPointer(rebasing: shared.entries[start..<end])
                    for i in stride(from: slice.count - 1, to: 0, by: -1) { slice.swapAt(i, chunkRandom.nextInt(below: i + 1)) }
                    if train { cost += parameters.update(UnsafeBufferPointer(slice), 0..<slice.count) }
                }
                costs.buffer[t] = cost
            }
            return costs.buffer.reduce(0, +)
        }
    }

    /// Raw pointers to the shared parameters for the Hogwild loop.
    private struct Parameters: @unchecked Sendable {
        let dim: Int
        let w, c, bw, bc, gbw, gbc: UnsafeMutablePointer<Float>
        let xMax: Float, alpha: Float, lr: Float

        init(_ t: GloVeTrainer) {
            dim = t.config.dim
            (w, c) = (t.wordRows.baseAddress!, t.contextRows.baseAddress!)
            (bw, bc, gbw, gbc) = (t.bw.baseAddress!, t.bc.baseAddress!, t.gbw.baseAddress!, t.gbc.baseAddress!)
            xMax = Float(t.config.xMax)
            alpha = Float(t.config.alpha)
            lr = Float(t.config.lr)
        }

        /// glove.c's inner loop over entries `range`; returns their summed cost. The rows of
        /// the entry two ahead are prefetched while this one is updated.
        func update(_ e: UnsafeBufferPointer<GloVeEntry>, _ range: Range<Int>) -> Double {
            var cost = 0.0
            let stride = 2 * dim
                        for n in range {
                            if n + 2 < range.upperBound {
                                VectorKernels.prefetch(w + Int(e[n + 2].row) * stride, stride)
                                VectorKernels.prefetch(c + Int(e[n + 2].column) * stride, stride)
                            }
                            let x = e[n].count
                            let i = Int(e[n].row), j = Int(e[n].column)
                            let wi = w + i * stride, cj = c + j * stride
                            let diff = VectorKernels.dot(wi, cj, dim) + bw[i] + bc[j] - Foundation.log(x)
                            var fdiff = x > xMax ? diff : Foundation.pow(x / xMax, alpha) * diff
                            cost += Double(0.5 * fdiff * diff)
                            GloVeKernels.adagrad(wi, cj, wi + dim, cj + dim, dim, fdiff, lr)
                            // As glove.c: the biases step by fdiff / √G, without the learning rate.
                            bw[i] -= fdiff / gbw[i].squareRoot()
                            bc[j] -= fdiff / gbc[j].squareRoot()
                            fdiff *= fdiff
                            gbw[i] += fdiff
                            gbc[j] += fdiff
                        }
            return cost
        }
    }

    /// A block's entries shared with the worker threads (each thread owns the chunks it takes).
    private struct SharedEntries: @unchecked Sendable {
        let entries: UnsafeMutableBufferPointer<GloVeEntry>
        let chunkOrder: [Int]
    }

    /// One cost slot per thread.
    private struct Costs: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Double>
        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: 0)
        }
    }
}

/// One nonzero co-occurrence: the word, the context word and the count.
struct GloVeEntry {
    var row: Int32
    var column: Int32
    var count: Float
}

/// The AdaGrad update of one word/context vector pair, eight lanes at a time.
enum GloVeKernels {
    /// glove.c's limit on each gradient component (`-grad-clip`, default 100).
    static let gradientClip: Float = 100

    /// For each k: t1 = clip(g·c[k])·lr, t2 = clip(g·w[k])·lr; w[k] −= t1/√gw[k];
    /// c[k] −= t2/√gc[k]; gw[k] += t1²; gc[k] += t2² (both read before either is written).
    @inline(__always)
    static func adagrad(_ w: UnsafeMutablePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ gw: UnsafeMutablePointer<Float>,
                        _ gc: UnsafeMutablePointer<Float>, _ n: Int, _ g: Float, _ lr: Float) {
        var k = 0
        let rw = UnsafeMutableRawPointer(w), rc = UnsafeMutableRawPointer(c), rgw = UnsafeMutableRawPointer(gw), rgc = UnsafeMutableRawPointer(gc)
        let low = SIMD8<Float>(repeating: -gradientClip), high = SIMD8<Float>(repeating: gradientClip)
        while k + 8 <= n {
            let o = k * 4
            let wv = rw.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let cv = rc.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let gwv = rgw.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let gcv = rgc.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let t1 = (g * cv).clamped(lowerBound: low, upperBound: high) * lr
            let t2 = (g * wv).clamped(lowerBound: low, upperBound: high) * lr
            rw.storeBytes(of: wv - t1 / gwv.squareRoot(), toByteOffset: o, as: SIMD8<Float>.self)
            rc.storeBytes(of: cv - t2 / gcv.squareRoot(), toByteOffset: o, as: SIMD8<Float>.self)
            rgw.storeBytes(of: gwv + t1 * t1, toByteOffset: o, as: SIMD8<Float>.self)
            rgc.storeBytes(of: gcv + t2 * t2, toByteOffset: o, as: SIMD8<Float>.self)
            k += 8
        }
        while k < n {
            let t1 = min(max(g * c[k], -gradientClip), gradientClip) * lr, t2 = min(max(g * w[k], -gradientClip), gradientClip) * lr
            w[k] -= t1 / gw[k].squareRoot()
            c[k] -= t2 / gc[k].squareRoot()
            gw[k] += t1 * t1
            gc[k] += t2 * t2
            k += 1
        }
    }
}
