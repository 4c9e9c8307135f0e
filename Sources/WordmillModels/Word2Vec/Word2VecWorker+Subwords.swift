import WordmillNumerics

/// fastText's unsupervised model (`FastText::skipgram`, `FastText::cbow`): word2vec in which a
/// word's input is the mean of its own row and its character n-grams' rows. As in fastText,
/// every one of those rows then takes the whole hidden gradient (fastText divides it by the
/// number of rows only in supervised training).
extension Word2VecWorker {
    /// The hidden vector of one word's subword rows (their mean) into `hidden`; returns the rows' range.
    @inline(__always)
    private func subwordMean(_ word: Int32, into hidden: UnsafeMutablePointer<Float>) -> Range<Int> {
        let d = self.d, syn0 = self.syn0, rows = self.subwordRows
        let range = Int(subwordOffsets[Int(word)])..<Int(subwordOffsets[Int(word) + 1])
        VectorKernels.zero(hidden, d)
        for k in range { VectorKernels.axpy(1, syn0 + Int(rows[k]) * d, hidden, d) }
        VectorKernels.scale(1 / Float(range.count), hidden, d)
        return range
    }

    /// Draws the noise words of a prediction as fastText does: one equal to the target is drawn
    /// again (word2vec skips it, training on fewer noise words).
    @inline(__always)
    private func drawDistinctNoise(_ word: Int32, into targets: UnsafeMutablePointer<Int32>, rng: inout RandomGenerator) {
        drawNoise(word, into: targets, rng: &rng)
        for k in 1...max(1, negative) where negative > 0 {
            while targets[k] == word { targets[k] = drawNoiseWord(rng: &rng) }
        }
    }

    /// Starts loading the subword rows of `word`.
    @inline(__always)
    private func prefetchSubwords(_ word: Int32) {
        let d = self.d, syn0 = self.syn0, rows = self.subwordRows
        for k in Int(subwordOffsets[Int(word)])..<Int(subwordOffsets[Int(word) + 1]) { VectorKernels.prefetch(syn0 + Int(rows[k]) * d, d) }
    }

    /// Skip-gram: the centre word's subword mean predicts each word of its reduced window
    /// (negative sampling with noise words per pair, or hierarchical softmax). fastText adds
    /// each pair's gradient to every row of the centre before the next pair, so the next pair's
    /// mean has moved by exactly that gradient; here the mean moves by it (`hidden` += the
    /// pair's gradient) and the rows take the window's summed gradient once, the same values
    /// (up to an n-gram a word lists twice) with the ~20 rows of a word read and written once
    /// per centre instead of once per pair.
    mutating func trainSentenceSubwordSkipgram(_ n: Int, rng: inout RandomGenerator) {
        let d = self.d, window = self.window, syn0 = self.syn0, sentence = self.sentence
        let neu1 = self.neu1, neu1e = self.neu1e, total = self.windowGradient, targets = self.targets, rows = self.subwordRows
        trainedWords += n
        prefetchSubwords(sentence[0])
        for pos in 0..<n {
            let range = subwordMean(sentence[pos], into: neu1)
            if pos + 1 < n { prefetchSubwords(sentence[pos + 1]) }
            VectorKernels.zero(total, d)
            let b = Int(rng.next() % UInt64(window))
            let lo = max(0, pos - window + b), hi = min(n - 1, pos + window - b)
            for c in lo...hi where c != pos {
                VectorKernels.zero(neu1e, d)
                if hierarchical {
                    trainPath(sentence[c], hidden: neu1)
                } else {
                    drawDistinctNoise(sentence[c], into: targets, rng: &rng)
                    trainNegatives(targets, hidden: neu1)
                }
                VectorKernels.axpy(1, neu1e, neu1, d)
                VectorKernels.axpy(1, neu1e, total, d)
            }
            for k in range { VectorKernels.axpy(1, total, syn0 + Int(rows[k]) * d, d) }
        }
    }

    /// CBOW: the mean of all subword rows of the reduced window's words predicts the centre,
    /// and each of those rows takes the hidden gradient.
    mutating func trainSentenceSubwordCBOW(_ n: Int, rng: inout RandomGenerator) {
        let d = self.d, window = self.window, syn0 = self.syn0, sentence = self.sentence
        let neu1 = self.neu1, neu1e = self.neu1e, targets = self.targets, rows = self.subwordRows, offsets = self.subwordOffsets
        trainedWords += n
        for pos in 0..<n {
            let b = Int(rng.next() % UInt64(window))
            let lo = max(0, pos - window + b), hi = min(n - 1, pos + window - b)
            VectorKernels.zero(neu1, d)
            var count = 0
            for c in lo...hi where c != pos {
                let word = Int(sentence[c])
                for k in Int(offsets[word])..<Int(offsets[word + 1]) { VectorKernels.axpy(1, syn0 + Int(rows[k]) * d, neu1, d) }
                count += Int(offsets[word + 1] - offsets[word])
            }
            if count == 0 { continue }
            VectorKernels.scale(1 / Float(count), neu1, d)
            VectorKernels.zero(neu1e, d)
            if hierarchical {
                trainPath(sentence[pos], hidden: neu1)
            } else {
                drawDistinctNoise(sentence[pos], into: targets, rng: &rng)
                trainNegatives(targets, hidden: neu1)
            }
            for c in lo...hi where c != pos {
                let word = Int(sentence[c])
                for k in Int(offsets[word])..<Int(offsets[word + 1]) { VectorKernels.axpy(1, neu1e, syn0 + Int(rows[k]) * d, d) }
            }
        }
    }
}
