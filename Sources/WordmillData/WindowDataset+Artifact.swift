import WordmillArtifacts
import WordmillSupport

/// The `windows` artifact: section `ids` (see `IdStream`), optionally `examples` (i32 rows,
/// see `materializedRows`), and the vocabulary's sections; the window rule in the header
/// metadata (`kind`, `window`, `edges`, `example_width`).
extension WindowDataset {
    /// Header metadata describing the window rule.
    public static func metadata(_ config: WindowConfig) -> [String: JSONValue] {
        ["kind": .string(config.kind.rawValue), "window": .integer(config.window), "edges": .string(config.edges.rawValue),
         "example_width": .integer(config.kind == .cbow ? config.contextWidth + 1 : 2)]
    }

    /// The window rule recorded in a `windows` artifact.
    public static func config(of reader: ArtifactReader) throws -> WindowConfig {
        let m = reader.header.metadata
        guard let k = m["kind"]?.stringValue, let kind = WindowConfig.Kind(rawValue: k), let window = m["window"]?.intValue, window >= 1,
            let e = m["edges"]?.stringValue, let edges = WindowConfig.Edges(rawValue: e)
        else { throw ArtifactError.damaged(path: reader.path, reason: "windows metadata (kind, window, edges) is missing or invalid") }
        return WindowConfig(kind: kind, window: window, edges: edges)
    }

    /// Reads the whole dataset into memory (small data: the softmax trainer, inspection).
    public init(reader: ArtifactReader, vocabularySize: Int) throws {
        var ids: [Int32] = []
        var lengths: [UInt32] = []
        try IdStream.forEachDocument(reader, vocabularySize: vocabularySize) { document in
            ids.append(contentsOf: document)
            lengths.append(UInt32(document.count))
        }
        self.init(config: try WindowDataset.config(of: reader), ids: ids, documentLengths: lengths)
    }
}
