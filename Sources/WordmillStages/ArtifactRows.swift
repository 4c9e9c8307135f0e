import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillSupport
import WordmillText

/// The first records of an artifact as readable lines, by kind (`wordmill inspect --rows N`).
public enum ArtifactRows {
    public static func rows(_ reader: ArtifactReader, limit: Int) throws -> [String] {
        var out: [String] = []
        switch reader.header.kind {
        case TokenStream.artifactKind:
            struct Done: Error {}
            do {
                try TokenStream.forEachDocument(reader) { tokens in
                    if out.count >= limit { throw Done() }
                    out.append("\(out.count): " + tokens.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
                }
            } catch is Done {}
        case Vocabulary.artifactKind:
            let v = try Vocabulary(reader: reader)
            for i in 0..<min(limit, v.count) { out.append("\(i)\t\(v.tokens[i])\t\(v.counts[i])") }
        case WindowDataset.artifactKind:
            let v = try Vocabulary(reader: reader)
            let dataset = try WindowDataset(reader: reader, vocabularySize: v.count)
            func words(_ ids: [Int32]) -> String { ids.map { v.tokens[Int($0)] }.joined(separator: " ") }
            struct Done: Error {}
            do {
                try dataset.forEachExample { inputs, target in
                    if out.count >= limit { throw Done() }
                    let ids = Array(inputs)
                    switch dataset.config.kind {
                    case .cbow: out.append("\(ids) → \(target)\t\(words(ids)) → \(v.tokens[Int(target)])")
                    case .skipgram: out.append("(\(ids[0]), \(target))\t\(words(ids)) → \(v.tokens[Int(target)])")
                    }
                }
            } catch is Done {}
        case let kind where EmbeddingTable.artifactKinds.contains(kind):
            let table = try EmbeddingTable(reader: reader)
            for i in 0..<min(limit, table.words.count) {
                let values = (0..<min(8, table.dim)).map { String(table.vectors[i * table.dim + $0]) }
                out.append("\(i)\t\(table.words[i])\t" + values.joined(separator: " ") + (table.dim > 8 ? " …" : ""))
            }
        case BagOfWordsMatrix.artifactKind:
            let features = try reader.readStrings("features")
            let documents = try reader.section(BagOfWordsMatrix.rowsSection).count
            let labels = try DocumentLabels(reader: reader, documents: documents)
            struct Done: Error {}
            do {
                try BagOfWordsMatrix.forEachRow(reader, features: features.count) { i, row in
                    if out.count >= limit { throw Done() }
                    let label = labels.isLabelled ? " \(labels.classes[Int(labels.labels[i])])" : ""
                    let part = labels.isTraining(i) ? "" : " (test)"
                    out.append("\(i)\(label)\(part): " + zip(row.indices, row.values).map { "\(features[Int($0)])=\($1)" }.joined(separator: " "))
                }
            } catch is Done {}
        case CooccurrenceMatrix.artifactKind:
            let v = try Vocabulary(reader: reader)
            let unit = Double(reader.header.metadata["unit"]?.intValue ?? 1)
            struct Done: Error {}
            do {
                try reader.forEachFrame(CooccurrenceMatrix.entriesSection) { frame in
                    try CooccurrenceMatrix.forEachEntry(inFrame: frame, vocabularySize: v.count, path: reader.path) { i, j, units in
                        if out.count >= limit { throw Done() }
                        out.append("(\(i), \(j))\t\(v.tokens[i]) \(v.tokens[j])\t\(Double(units) / unit)")
                    }
                }
            } catch is Done {}
        case SequenceDataset.artifactKind:
            // Only the first documents are read, however large the artifact.
            let source = try SequenceSource(reader: reader)
            var isTraining: [Bool] = []
            let block = try source.read(documents: 0..<min(limit, source.documents)) { _, training in
                isTraining.append(training)
                return true
            }
            for i in 0..<block.count {
                var line = "\(block.documents[i])"
                if !source.classes.isEmpty { line += " \(source.classes[Int(block.labels[i])])" }
                if !isTraining[i] { line += " (test)" }
                let tokens = block.tokenRange(i).map { k -> String in
                    let token = source.vocabulary[Int(block.ids[k])]
                    guard let tagClasses = source.tagClasses else { return token }
                    return token + "/" + tagClasses[Int(block.tags[k])]  // tags align with ids
                }
                out.append(line + ": " + tokens.joined(separator: " "))
            }
        case RecurrentArtifact.kind, RecurrentArtifact.checkpointKind:
            let model = try RecurrentArtifact.read(reader)
            for tensor in model.layout.parameters.tensors.prefix(limit) {
                let values = model.parameters[tensor.offset..<(tensor.offset + min(6, tensor.count))].map { String($0) }
                out.append("\(tensor.name) \(tensor.shape)\t" + values.joined(separator: " ") + (tensor.count > 6 ? " …" : ""))
            }
        case NaiveBayesArtifact.kind:
            let (model, featurizer) = try NaiveBayesArtifact.read(reader)
            for (k, name) in model.classes.enumerated().prefix(limit) {
                out.append("\(name)\tprior \(model.classLogPrior[k])\t\(Int(model.classCount[k])) documents\t\(featurizer.features.count) features")
            }
        default:
            for output in reader.header.metadata["outputs"]?.arrayValue ?? [] { out.append(output.canonicalText) }
        }
        return out
    }
}
