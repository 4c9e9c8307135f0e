import WordmillArtifacts

/// The `windows` artifact: sections `ids` (i32), `document_lengths` (u32), optionally
/// `examples` (i32 rows, see `materializedRows`), plus the vocabulary's sections; the
/// window rule in the header metadata (`kind`, `window`, `edges`).
extension WindowDataset {
    /// Writes the dataset's sections into an open artifact (vocabulary sections are the caller's).
    public func write(to writer: ArtifactWriter, materialize: Bool) throws {
        try writer.writeSection("ids", type: .i32, values: ids)
        try writer.writeSection("document_lengths", type: .u32, values: documentLengths)
        if materialize { try writer.writeSection("examples", type: .i32, values: materializedRows()) }
    }

    /// Header metadata describing the window rule.
    public var metadata: [String: JSONValue] {
        ["kind": .string(config.kind.rawValue), "window": .integer(config.window), "edges": .string(config.edges.rawValue),
         "example_width": .integer(materializedWidth)]
    }

    /// Reads a dataset back from a `windows` artifact.
    public init(reader: ArtifactReader) throws {
        let m = reader.header.metadata
        guard let k = m["kind"]?.stringValue, let kind = WindowConfig.Kind(rawValue: k), let window = m["window"]?.intValue, window >= 1,
            let e = m["edges"]?.stringValue, let edges = WindowConfig.Edges(rawValue: e)
        else { throw ArtifactError.damaged(path: reader.path, reason: "windows metadata (kind, window, edges) is missing or invalid") }
        let ids = try reader.readArray("ids", as: Int32.self)
        let lengths = try reader.readArray("document_lengths", as: UInt32.self)
        guard lengths.reduce(0, { $0 + Int($1) }) == ids.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "document lengths add up to \(lengths.reduce(0) { $0 + Int($1) }), there are \(ids.count) ids")
        }
        self.init(config: WindowConfig(kind: kind, window: window, edges: edges), ids: ids, documentLengths: lengths)
    }
}
