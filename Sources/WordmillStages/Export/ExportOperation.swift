import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline

/// `export`: a model artifact → a file other tools read. The only stage that writes outside
/// the artifact directory; its own artifact records each file's size and hash so a
/// deleted or edited export is noticed and rewritten.
enum ExportOperation {
    static let definition = OperationDefinition(
        name: "export",
        summary: "write vectors in a format other tools read",
        parameters: [ParameterSpec("path", .string(), doc: "output file, relative to the spec's folder")],
        variantKey: "format",
        variants: [
            "word2vec-text": [ParameterSpec("vectors", .string(choices: ["input"]), default: "input", doc: "which vectors: input (the embedding table)")],
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds)],
        outputKind: { _ in "export" },
        algorithmVersion: 1,
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let table = try EmbeddingTable(reader: context.input("model"))
        let bytes: [UInt8]
        switch p.string("format") {
        case "word2vec-text":
            do { bytes = try Word2VecTextFormat.encode(table) } catch { throw StageInputError(error.description) }
        default:
            throw StageInputError("unknown format \(p.string("format"))")
        }
        let target = context.resolvePath(p.string("path"))
        try AtomicFile.write(bytes, to: target)
        let outputs: JSONValue = [["path": .string(p.string("path")), "bytes": .integer(bytes.count), "xxh64": .string(XXH64.hash(bytes).hex16)]]
        let writer = try ArtifactWriter(path: context.outputPath)
        let counts = ["words": table.words.count, "dim": table.dim, "bytes": bytes.count]
        try writer.commit(header: context.header(kind: "export", counts: counts, metadata: ["outputs": outputs, "format": .string(p.string("format"))]))
        return StageReport(counts: counts, summary: "\(table.words.count) vectors of \(table.dim) as \(p.string("format")) → \(p.string("path")) (\(formatBytes(bytes.count)))")
    }
}
