import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillNumerics
import WordmillSupport
import WordmillText

/// A trained `rnn` model ready for raw text: tokenizes as training did, maps tokens to the
/// model's ids (unknown ones to `<unk>`), and classifies, tags or generates.
public final class RecurrentPredictor {
    public let model: RecurrentArtifact.Model
    let splitter: TextSplitter
    /// Whether tokens are characters (joined without spaces when generating).
    public var characterLevel: Bool { splitter.characterLevel }
    let worker: RecurrentWorker
    let ids: [String: Int32]
    var batch = SequenceBatch()
    var random = RandomGenerator(seed: 0)

    /// Loads an `rnn` model artifact; `mecabDictionary` for models over MeCab morphemes.
    public init(path: String, mecabDictionary: String? = nil) throws {
        let reader = try ArtifactReader(path: path, kinds: [RecurrentArtifact.kind])
        model = try RecurrentArtifact.read(reader)
        splitter = try TextSplitter(options: model.tokenizer, modelPath: path, mecabDictionary: mecabDictionary)
        worker = RecurrentWorker(config: model.config)
        ids = Dictionary(model.vocabulary.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { a, _ in a })
    }

    public var task: RecurrentTask { model.config.task }

    /// Whether texts should come in batches through `prepare` (an analyser command).
    public var prefersBatches: Bool { splitter.prefersBatches }

    /// Tokenizes a batch of texts ahead of `classify` or `tag` (runs an analyser command once).
    public func prepare(_ texts: [String]) throws { try splitter.prepare(texts) }
    public var classes: [String] { model.classes }

    /// The text's tokens and their ids.
    public func encode(_ text: String) throws -> (tokens: [String], ids: [Int32]) {
        let tokens = try splitter.split(text)
        return (tokens, tokens.map { ids[$0] ?? SequenceDataset.unknownId })
    }

    /// Runs one sequence and returns each target row's class probabilities (one row for
    /// classify, one per token otherwise), rows in time order.
    func probabilities(_ sequence: [Int32], initialHidden: [Float]? = nil, initialCell: [Float]? = nil) -> [[Float]] {
        batch.removeAll()
        batch.append(sequence)
        batch.targets = [Int32](repeating: 0, count: task == .classify ? 1 : sequence.count)
        model.parameters.withUnsafeBufferPointer { p in
            _ = worker.run(batch, parameters: p.baseAddress!, backward: false, initialHidden: initialHidden, initialCell: initialCell, random: &random)
        }
        let classes = model.config.outputs
        return (0..<batch.targets.count).map { r in Array(UnsafeBufferPointer(start: worker.probabilities.pointer + r * classes, count: classes)) }
    }

    /// classify: the best class and every class's probability; nil for an empty text.
    public func classify(_ text: String) throws -> (best: Int, probabilities: [Float])? {
        let encoded = try encode(text)
        guard !encoded.ids.isEmpty else { return nil }
        let row = probabilities(encoded.ids)[0]
        return (row.indices.max { row[$0] < row[$1] }!, row)
    }

    /// tag: each token with its best tag and that tag's probability.
    public func tag(_ text: String) throws -> [(token: String, tag: Int, probability: Float)] {
        let encoded = try encode(text)
        guard !encoded.ids.isEmpty else { return [] }
        return zip(encoded.tokens, probabilities(encoded.ids)).map { token, row in
            let best = row.indices.max { row[$0] < row[$1] }!
            return (token, best, row[best])
        }
    }

    /// lm: continues `prompt` by `length` tokens, sampling from softmax(logits / temperature)
    /// restricted to the `topK` most likely (0: all); temperature 0 takes the most likely.
    /// Stops early at `<eos>`. Returns the generated tokens.
    public func generate(prompt: String, length: Int, temperature: Float, topK: Int, seed: UInt64) throws -> [String] {
        var sampler = RandomGenerator(seed: seed)
        var context = try encode(prompt).ids
        if context.isEmpty { context = [model.metadata["eos"]?.boolValue == true ? SequenceDataset.endId : SequenceDataset.unknownId] }
        let states = model.config.recurrent.layers * model.config.recurrent.directions * model.config.recurrent.hiddenSize
        var hidden: [Float]? = nil, cell: [Float]? = nil
        var output: [String] = []
        var next = context
        for _ in 0..<length {
            let rows = probabilities(next, initialHidden: hidden, initialCell: cell)
            hidden = Array(UnsafeBufferPointer(start: worker.network.finalHidden.pointer, count: states))
            if model.config.recurrent.cell.hasCellState { cell = Array(UnsafeBufferPointer(start: worker.network.finalCell.pointer, count: states)) }
            let chosen = Self.sample(rows[rows.count - 1], temperature: temperature, topK: topK, random: &sampler)
            if model.vocabulary[chosen] == SequenceDataset.endToken { break }
            output.append(model.vocabulary[chosen])
            next = [Int32(chosen)]
        }
        return output
    }

    /// Draws a class from probabilities reshaped by temperature and top-k.
    static func sample(_ probabilities: [Float], temperature: Float, topK: Int, random: inout RandomGenerator) -> Int {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        if temperature <= 0 { return order[0] }
        let kept = topK > 0 ? Array(order.prefix(topK)) : order
        // p^(1/T) renormalised equals softmax(logits / T).
        let weights = kept.map { probabilities[$0] > 0 ? Foundation.pow(Double(probabilities[$0]), 1 / Double(temperature)) : 0 }
        var draw = random.nextDouble() * weights.reduce(0, +)
        for (k, w) in zip(kept, weights) {
            draw -= w
            if draw < 0 { return k }
        }
        return kept.last!
    }
}
