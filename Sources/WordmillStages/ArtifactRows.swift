import WordmillArtifacts
import WordmillData
import WordmillModels
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
        default:
            for output in reader.header.metadata["outputs"]?.arrayValue ?? [] { out.append(output.canonicalText) }
        }
        return out
    }
}
