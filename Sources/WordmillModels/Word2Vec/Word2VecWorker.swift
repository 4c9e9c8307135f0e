import WordmillNumerics

/// One thread's share of word2vec training: its scratch vectors, learning rate, loss and
/// counts, and the inner loops of word2vec.c (`TrainModelThread`) on raw pointers.
struct Word2VecWorker {
    let d: Int
    let window: Int
    let negative: Int
    let hierarchical: Bool
    let cbow: Bool
    private let cbowMean: Bool
    private let maxLength: Int
    private let config: Word2VecConfig
    let syn0: UnsafeMutablePointer<Float>
    let syn1: UnsafeMutablePointer<Float>
    private let tables: SamplingTables  // keeps the tables alive
    private let noiseCount: UInt64
    private let noiseEntries: UnsafeMutablePointer<UInt64>
    private let keep: UnsafeMutablePointer<UInt32>
    private let sigmoid: UnsafeMutablePointer<Float>
    private let logSigmoid: UnsafeMutablePointer<Float>
    private let codeOffsets: UnsafeMutablePointer<Int32>
    private let codes: UnsafeMutablePointer<UInt8>
    private let points: UnsafeMutablePointer<Int32>
    private let shared: SharedProgress
    /// fastText's subword rows per word (`FastTextSubwords`), when the model has subwords.
    let subwordOffsets: UnsafeMutablePointer<Int32>
    let subwordRows: UnsafeMutablePointer<Int32>
    let subwords: Bool
    /// Apply the saturated gradient when a score lies outside ±6 (σ taken as 0 or 1), as
    /// fastText and word2vec.c's negative sampling do, instead of skipping the target as
    /// gensim does. The subword model trains like fastText.
    let saturatedUpdates: Bool
    let neu1: UnsafeMutablePointer<Float>
    let neu1e: UnsafeMutablePointer<Float>
    /// The subword model's sum of one centre's pair gradients (see `trainSentenceSubwordSkipgram`).
    let windowGradient: UnsafeMutablePointer<Float>
    let sentence: UnsafeMutablePointer<Int32>
    /// The positive word and its noise words for one prediction; twice that room, so that
    /// CBOW and shared negatives can draw the next position's while this one trains.
    let targets: UnsafeMutablePointer<Int32>
    /// Dot products of `hidden` with the rows of a Huffman path.
    private let pathDots: UnsafeMutablePointer<Float>
    /// Shared negatives (`WindowBatch`): a window's context rows, the centre's and noise
    /// words' output rows, their gradients and the context rows' errors.
    private let sharedNegatives: Bool
    private let contextRows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    private let outputRowList: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    private let windowGradients: UnsafeMutablePointer<Float>
    private let windowErrors: UnsafeMutablePointer<Float>
    /// Hierarchical softmax with several threads: every prediction updates the inner nodes
    /// near the Huffman root, so threads writing them in place would pass their cache lines
    /// back and forth on every word. Instead each worker trains its own copy of those rows
    /// (`topRows`, indexed through `topSlot`) and keeps the shared rows as they were at its
    /// last sync (`topBase`); every `topSyncEvery` predictions it adds its rows' change since
    /// then to the shared rows and takes the result back. With one thread there are no
    /// copies and the updates are word2vec.c's, in its order.
    ///
    /// Negative sampling with several threads does the same for the output rows of the
    /// `hotWords` most frequent words (ids are ranked by count, so rows 0 ..< hotWords): the
    /// noise distribution draws them into a large share of all predictions, and both threads
    /// writing them in place passed their cache lines back and forth on nearly every window.
    /// Their input rows, the context rows most windows hold, get private copies too
    /// (`hotInputRows`, `hotInputBase`).
    private let topSlot: UnsafeMutablePointer<Int32>?
    private let hotWords: Int
    private let hotInputRows: UnsafeMutablePointer<Float>
    private let hotInputBase: UnsafeMutablePointer<Float>
    /// Output rows with a private copy under negative sampling, and predictions between syncs.
    static let hotWordCount = 64
    private let topNodes: [Int32]
    private let topRows: UnsafeMutablePointer<Float>
    private let topBase: UnsafeMutablePointer<Float>
    private var sinceTopSync = 0
    private static let topSyncEvery = 1024
    private var alpha: Float
    private var wordsSinceUpdate = 0
    var loss = 0.0
    var predictions = 0
    var trainedWords = 0

    init(trainer: Word2VecTrainer, shared: SharedProgress, threads: Int = 1) {
        config = trainer.config
        d = config.dim
        window = config.window
        if case .negative(let k) = config.objective { negative = k; hierarchical = false } else { negative = 0; hierarchical = true }
        cbow = config.architecture == .cbow
        cbowMean = config.cbowMean
        maxLength = config.maxDocumentLength
        syn0 = trainer.inputVectors
        syn1 = trainer.outputVectors
        tables = trainer.tables
        noiseCount = UInt64(tables.noiseEntries.count)
        noiseEntries = tables.noiseEntries.baseAddress!
        keep = tables.keepThreshold.baseAddress!
        sigmoid = tables.sigmoid.baseAddress!
        logSigmoid = tables.logSigmoid.baseAddress!
        codeOffsets = tables.codeOffsets.baseAddress!
        codes = tables.codes.baseAddress!
        points = tables.points.baseAddress!
        self.shared = shared
        subwordOffsets = tables.subwordOffsets.baseAddress!
        subwordRows = tables.subwordRows.baseAddress!
        subwords = trainer.subwords != nil
        saturatedUpdates = subwords
        neu1 = Word2VecWorker.allocate(d)
        neu1e = Word2VecWorker.allocate(d)
        windowGradient = Word2VecWorker.allocate(d)
        sentence = Word2VecWorker.allocate(maxLength)
        targets = Word2VecWorker.allocate(2 * (negative + 1))
        pathDots = Word2VecWorker.allocate(max(1, trainer.tables.maxCodeLength))
        sharedNegatives = config.sharedNegatives && !hierarchical && !cbow
        let windowRows = sharedNegatives ? 2 * window : 0
        contextRows = Word2VecWorker.allocate(windowRows)
        outputRowList = Word2VecWorker.allocate(sharedNegatives ? 2 * (negative + 1) : 0)
        windowGradients = Word2VecWorker.allocate(windowRows * (negative + 1))
        windowErrors = Word2VecWorker.allocate(windowRows * d)
        let privateTop = hierarchical && threads > 1
        hotWords = !hierarchical && threads > 1 && !subwords ? min(Word2VecWorker.hotWordCount, trainer.vocabularySize) : 0
        topNodes = privateTop ? trainer.tables.topNodes : (0..<hotWords).map { Int32($0) }
        topSlot = privateTop ? trainer.tables.topSlot.baseAddress! : nil
        topRows = Word2VecWorker.allocate(topNodes.count * d)
        topBase = Word2VecWorker.allocate(topNodes.count * d)
        for (k, node) in topNodes.enumerated() {
            (topRows + k * d).update(from: syn1 + Int(node) * d, count: d)
            (topBase + k * d).update(from: syn1 + Int(node) * d, count: d)
        }
        hotInputRows = Word2VecWorker.allocate(hotWords * d)
        hotInputBase = Word2VecWorker.allocate(hotWords * d)
        hotInputRows.update(from: syn0, count: hotWords * d)
        hotInputBase.update(from: syn0, count: hotWords * d)
        alpha = config.learningRate(progress: shared.add(0))
    }

    /// Adds this worker's change to its private rows (the top Huffman nodes, or the hot words' rows)
    /// since the last sync to the shared rows and takes the shared rows back (they hold the other threads' updates so far).
    /// Keeping a snapshot rather than summing every update into a delta row saves an axpy per
    /// top node of every path (two-thread hierarchical softmax 0.73 → 0.87 M words/s).
    mutating func syncPrivateRows() {
        sinceTopSync = 0
        for (k, node) in topNodes.enumerated() {
            Self.sync(syn1 + Int(node) * d, mine: topRows + k * d, base: topBase + k * d, d)
        }
        for k in 0..<hotWords {
            Self.sync(syn0 + k * d, mine: hotInputRows + k * d, base: hotInputBase + k * d, d)
        }
    }

    /// Adds a private copy's change since the last sync to the shared row, and takes the result back.
    @inline(__always)
    private static func sync(_ row: UnsafeMutablePointer<Float>, mine: UnsafeMutablePointer<Float>, base: UnsafeMutablePointer<Float>, _ d: Int) {
        for i in 0..<d {
            let v = row[i] + (mine[i] - base[i])
            row[i] = v
            mine[i] = v
            base[i] = v
        }
    }

    /// Scratch memory on cache lines of its own: two threads' small buffers side by side in
    /// one line would make every write of one thread evict the other's (false sharing), which
    /// can slow both threads.
    static func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(1, count) * MemoryLayout<T>.stride + 127) / 128 * 128
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 128).bindMemory(to: T.self, capacity: count)
    }

    /// Frees the scratch buffers.
    func release() {
        UnsafeMutableRawPointer(neu1).deallocate()
        UnsafeMutableRawPointer(neu1e).deallocate()
        UnsafeMutableRawPointer(windowGradient).deallocate()
        UnsafeMutableRawPointer(sentence).deallocate()
        UnsafeMutableRawPointer(targets).deallocate()
        UnsafeMutableRawPointer(pathDots).deallocate()
        UnsafeMutableRawPointer(contextRows).deallocate()
        UnsafeMutableRawPointer(outputRowList).deallocate()
        UnsafeMutableRawPointer(windowGradients).deallocate()
        UnsafeMutableRawPointer(windowErrors).deallocate()
        UnsafeMutableRawPointer(topRows).deallocate()
        UnsafeMutableRawPointer(topBase).deallocate()
        UnsafeMutableRawPointer(hotInputRows).deallocate()
        UnsafeMutableRawPointer(hotInputBase).deallocate()
    }

    /// Reports words not yet counted toward the schedule.
    mutating func flushProgress() {
        _ = shared.add(wordsSinceUpdate)
        wordsSinceUpdate = 0
    }

    /// Subsamples a document, cuts it into pieces of at most `maxLength` words and trains on each.
    mutating func train(_ document: UnsafeBufferPointer<Int32>, rng: inout RandomGenerator) {
        var n = 0
        for id in document {
            let t = keep[Int(id)]
            if t == UInt32.max || UInt32(truncatingIfNeeded: rng.next()) < t {
                sentence[n] = id
                n += 1
                if n == maxLength {
                    trainSentence(n, rng: &rng)
                    n = 0
                }
            }
        }
        if n > 0 { trainSentence(n, rng: &rng) }
        wordsSinceUpdate += document.count
        if wordsSinceUpdate >= 10_000 {
            alpha = config.learningRate(progress: shared.add(wordsSinceUpdate))
            wordsSinceUpdate = 0
        }
    }

    private mutating func trainSentence(_ n: Int, rng: inout RandomGenerator) {
        if subwords { return cbow ? trainSentenceSubwordCBOW(n, rng: &rng) : trainSentenceSubwordSkipgram(n, rng: &rng) }
        if sharedNegatives { return trainSentenceSharingNegatives(n, rng: &rng) }
        if cbow { return trainSentenceCBOW(n, rng: &rng) }
        let d = self.d, window = self.window, sentence = self.sentence, neu1e = self.neu1e, targets = self.targets
        trainedWords += n
        for pos in 0..<n {
            let word = sentence[pos]
            let b = Int(rng.next() % UInt64(window))
            let lo = max(0, pos - window + b), hi = min(n - 1, pos + window - b)
            for c in lo...hi where c != pos {
                let l1 = inputRow(sentence[c])
                if c < hi { VectorKernels.prefetch(inputRow(sentence[c + 1]), d) }
                VectorKernels.zero(neu1e, d)
                if hierarchical {
                    trainPath(word, hidden: l1)
                } else {
                    drawNoise(word, into: targets, rng: &rng)
                    trainNegatives(targets, hidden: l1)
                }
                VectorKernels.axpy(1, neu1e, l1, d)
            }
        }
    }

    /// CBOW: the mean (or sum) of the context rows predicts the centre. With negative sampling
    /// each position's reduced window and noise words are drawn one position ahead, so the
    /// rows they name are on their way from memory while this position trains; the context row
    /// that enters at the far edge of the next window is prefetched as well.
    private mutating func trainSentenceCBOW(_ n: Int, rng: inout RandomGenerator) {
        let d = self.d, window = self.window, sentence = self.sentence, neu1 = self.neu1, neu1e = self.neu1e
        let stride = negative + 1
        trainedWords += n
        var nextB = Int(rng.next() % UInt64(window))
        if !hierarchical { drawNoise(sentence[0], into: targets, rng: &rng) }
        for c in 0...min(n - 1, window) { VectorKernels.prefetch(inputRow(sentence[c]), d) }
        for pos in 0..<n {
            let word = sentence[pos]
            let b = nextB
            let current = targets + (pos & 1) * stride
            if pos + 1 < n {
                nextB = Int(rng.next() % UInt64(window))
                if !hierarchical { drawNoise(sentence[pos + 1], into: targets + ((pos + 1) & 1) * stride, rng: &rng) }
                if pos + 1 + window < n { VectorKernels.prefetch(inputRow(sentence[pos + 1 + window]), d) }
            }
            let lo = max(0, pos - window + b), hi = min(n - 1, pos + window - b)
            VectorKernels.zero(neu1, d)
            var cw = 0
            for c in lo...hi where c != pos {
                VectorKernels.axpy(1, inputRow(sentence[c]), neu1, d)
                cw += 1
            }
            if cw == 0 { continue }
            if cbowMean { VectorKernels.scale(1 / Float(cw), neu1, d) }
            VectorKernels.zero(neu1e, d)
            if hierarchical { trainPath(word, hidden: neu1) } else { trainNegatives(current, hidden: neu1) }
            for c in lo...hi where c != pos {
                VectorKernels.axpy(1, neu1e, inputRow(sentence[c]), d)
            }
        }
    }

    /// `word`'s input row: the worker's own copy for a hot word under negative sampling.
    @inline(__always)
    func inputRow(_ word: Int32) -> UnsafeMutablePointer<Float> {
        Int(word) < hotWords ? hotInputRows + Int(word) * d : syn0 + Int(word) * d
    }

    /// `word`'s output row under negative sampling: the worker's own copy for a hot word.
    @inline(__always)
    func outputRow(_ word: Int32) -> UnsafeMutablePointer<Float> {
        Int(word) < hotWords ? topRows + Int(word) * d : syn1 + Int(word) * d
    }

    /// Counts `n` predictions toward the next sync of the private output rows.
    @inline(__always)
    mutating func countPrivateRowUse(_ n: Int) {
        guard hotWords > 0 else { return }
        sinceTopSync += n
        if sinceTopSync >= Word2VecWorker.topSyncEvery { syncPrivateRows() }
    }

    /// One word from the noise distribution (Vose's alias method on one 64-bit draw).
    @inline(__always)
    func drawNoiseWord(rng: inout RandomGenerator) -> Int32 {
        let r = rng.next()
        let column = Int(((r >> 32) &* noiseCount) >> 32)
        let entry = noiseEntries[column]
        return UInt32(truncatingIfNeeded: r) < UInt32(truncatingIfNeeded: entry) ? Int32(column) : Int32(truncatingIfNeeded: entry >> 32)
    }

    /// Draws `negative` noise words for `word` into `into[1...]` (`into[0]` = `word`) and
    /// prefetches their output rows: the rows are scattered over the output matrix, and
    /// loading them in parallel hides most of the cache misses.
    @inline(__always)
    func drawNoise(_ word: Int32, into targets: UnsafeMutablePointer<Int32>, rng: inout RandomGenerator) {
        let d = self.d
        targets[0] = word
        VectorKernels.prefetch(outputRow(word), d)
        for sample in 1...max(1, negative) where negative > 0 {
            let target = drawNoiseWord(rng: &rng)
            targets[sample] = target
            VectorKernels.prefetch(outputRow(target), d)
        }
    }

    /// Lists the output rows of one prediction in `outputs` (their words in `targets`): the
    /// centre's, then each of `negative` noise words drawn that is neither the centre nor
    /// drawn before (the rows must be distinct for `WindowBatch`), prefetching each. Returns how many.
    @inline(__always)
    private func drawTargets(_ word: Int32, targets: UnsafeMutablePointer<Int32>, outputs: UnsafeMutablePointer<UnsafeMutablePointer<Float>>,
                             rng: inout RandomGenerator) -> Int {
        let d = self.d
        targets[0] = word
        outputs[0] = outputRow(word)
        VectorKernels.prefetch(outputs[0], d)
        var outs = 1
        for _ in 0..<negative {
            let target = drawNoiseWord(rng: &rng)
            var seen = false
            for j in 0..<outs where targets[j] == target { seen = true }
            if seen { continue }
            targets[outs] = target
            outputs[outs] = outputRow(target)
            VectorKernels.prefetch(outputs[outs], d)
            outs += 1
        }
        return outs
    }

    /// Skip-gram with one set of noise words per centre word, shared by its window: the
    /// window's context rows and the distinct output rows (the centre's, then each noise word
    /// other than the centre and not drawn before) train together through `WindowBatch`. As in
    /// CBOW, the next position's window and noise words are drawn one position ahead and their
    /// rows prefetched.
    private mutating func trainSentenceSharingNegatives(_ n: Int, rng: inout RandomGenerator) {
        let d = self.d, window = self.window, sentence = self.sentence
        let contextRows = self.contextRows, stride = negative + 1
        trainedWords += n
        var nextB = Int(rng.next() % UInt64(window))
        var nextOuts = drawTargets(sentence[0], targets: targets, outputs: outputRowList, rng: &rng)
        for c in 0...min(n - 1, window) { VectorKernels.prefetch(inputRow(sentence[c]), d) }
        for pos in 0..<n {
            let b = nextB, outs = nextOuts
            let outputs = outputRowList + (pos & 1) * stride
            if pos + 1 < n {
                let slot = ((pos + 1) & 1) * stride
                nextB = Int(rng.next() % UInt64(window))
                nextOuts = drawTargets(sentence[pos + 1], targets: targets + slot, outputs: outputRowList + slot, rng: &rng)
                if pos + 1 + window < n { VectorKernels.prefetch(inputRow(sentence[pos + 1 + window]), d) }
            }
            let lo = max(0, pos - window + b), hi = min(n - 1, pos + window - b)
            var m = 0
            for c in lo...hi where c != pos {
                contextRows[m] = inputRow(sentence[c])
                m += 1
            }
            if m == 0 { continue }
            loss += Double(WindowBatch.gradients(inputs: contextRows, m: m, outputs: outputs, outs: outs, d: d, alpha: alpha,
                                                 sigmoid: sigmoid, logSigmoid: logSigmoid, gradients: windowGradients))
            predictions += m
            WindowBatch.update(inputs: contextRows, m: m, outputs: outputs, outs: outs, gradients: windowGradients, d: d, errors: windowErrors)
            countPrivateRowUse(m)
        }
    }

    /// σ(f) and log σ(±f) from the tables; callers handle |f| ≥ 6 first.
    @inline(__always)
    private func tableIndex(_ f: Float) -> Int {
        min(max(SigmoidTable.index(f), 0), SigmoidTable.size - 1)
    }

    /// One hierarchical-softmax prediction of `word` from `hidden`: accumulates the hidden
    /// gradient in `neu1e` and updates the inner nodes of the word's Huffman path.
    @inline(__always)
    mutating func trainPath(_ word: Int32, hidden: UnsafeMutablePointer<Float>) {
        // Locals, not `self.` loads: the stores through raw pointers below could alias `self`
        // as far as the compiler knows, so it would reload every field in every iteration.
        let maxExp = SigmoidTable.maxExp, alpha = self.alpha, d = self.d, syn1 = self.syn1, neu1e = self.neu1e
        let sigmoid = self.sigmoid, logSigmoid = self.logSigmoid
        predictions += 1
        var lossSum: Float = 0
        let codeOffsets = self.codeOffsets, codes = self.codes, points = self.points
        let start = Int(codeOffsets[Int(word)]), end = Int(codeOffsets[Int(word) + 1])
        let topSlot = self.topSlot, topRows = self.topRows
        /// The row of inner node k of the path: the worker's own copy for a top node.
        @inline(__always) func row(_ k: Int) -> UnsafeMutablePointer<Float> {
            if let topSlot, case let slot = Int(topSlot[Int(points[k])]), slot >= 0 { return topRows + slot * d }
            return syn1 + Int(points[k]) * d
        }
        // The nodes of a path are distinct rows and `hidden` does not change during the
        // prediction, so every dot product can be taken before any update, two at a time
        // (their latencies overlap); the results equal word2vec.c's interleaved order exactly.
        let dots = self.pathDots
        var k = start
        while k + 1 < end {
            (dots[k - start], dots[k - start + 1]) = VectorKernels.dot2(hidden, row(k), row(k + 1), d)
            k += 2
        }
        if k < end { dots[k - start] = VectorKernels.dot(hidden, row(k), d) }
        for k in start..<end {
            let l2 = row(k)
            let f = dots[k - start]
            if (f <= -maxExp || f >= maxExp) && !saturatedUpdates { continue }
            let code = Float(codes[k])
            let g = (1 - code - sigmoid[tableIndex(f)]) * alpha
            lossSum -= logSigmoid[tableIndex(code == 0 ? f : -f)]
            VectorKernels.axpy(g, l2, neu1e, d)
            VectorKernels.axpy(g, hidden, l2, d)
        }
        loss += Double(lossSum)
        if topSlot != nil {
            sinceTopSync += 1
            if sinceTopSync >= Word2VecWorker.topSyncEvery { syncPrivateRows() }
        }
    }

    /// One negative-sampling prediction of `targets[0]` from `hidden` against the noise words
    /// `targets[1...negative]` (their rows already prefetched by `drawNoise`): accumulates the
    /// hidden gradient in `neu1e` and updates the output vectors.
    @inline(__always)
    mutating func trainNegatives(_ targets: UnsafeMutablePointer<Int32>, hidden: UnsafeMutablePointer<Float>) {
        let maxExp = SigmoidTable.maxExp, alpha = self.alpha, d = self.d, neu1e = self.neu1e
        let sigmoid = self.sigmoid, logSigmoid = self.logSigmoid, negative = self.negative
        let word = targets[0]
        predictions += 1
        var lossSum: Float = 0
        for sample in 0...negative {
            let target = targets[sample]
            var label: Float = 1
            if sample > 0 {
                if target == word { continue }
                label = 0
            }
            let l2 = outputRow(target)
            let f = VectorKernels.dot(hidden, l2, d)
            if (f <= -maxExp || f >= maxExp) && !saturatedUpdates { continue }
            let g = (label - sigmoid[tableIndex(f)]) * alpha
            lossSum -= logSigmoid[tableIndex(label == 1 ? f : -f)]
            VectorKernels.axpy(g, l2, neu1e, d)
            VectorKernels.axpy(g, hidden, l2, d)
        }
        loss += Double(lossSum)
        countPrivateRowUse(1)
    }
}
