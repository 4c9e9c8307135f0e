import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillPipeline
import WordmillStages
import WordmillSupport

/// `wordmill inspect`: header, sections and checksums of an artifact; optionally its first records.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show an artifact's header, sections and checksums.")

    @Argument(help: "An artifact (.wma).") var file: String
    @Flag(help: "Print the header and sections as JSON.") var json = false
    @Option(help: "Also print the first N records (tokens, vocabulary entries, windows, vectors).") var rows: Int?

    func run() throws {
        do {
            let reader = try ArtifactReader(path: file)
            try reader.verifyChecksums()
            let h = reader.header
            let rowLines = try rows.map { try ArtifactRows.rows(reader, limit: $0) }
            if json {
                var object = h.indexJSON.objectValue!
                object["path"] = .string(file)
                object["format_version"] = .integer(Int(h.formatVersion))
                object["file_bytes"] = .integer(reader.fileSize)
                object["checksums"] = "verified"
                if let rowLines { object["rows"] = .array(rowLines.map { .string($0) }) }
                print(JSONValue.object(object).prettyText)
                return
            }
            print(file)
            print("  kind         \(h.kind)")
            print("  format       \(h.formatVersion)")
            print("  stage        \(h.stage) (op \(h.op))")
            print("  fingerprint  \(h.fingerprint)")
            print("  size         \(formatBytes(reader.fileSize))")
            print("  counts       " + h.counts.keys.sorted().map { "\($0)=\(h.counts[$0]!)" }.joined(separator: " "))
            print("  parameters   \(h.parameters.canonicalText)")
            if !h.metadata.isEmpty { print("  metadata     \(JSONValue.object(h.metadata).canonicalText)") }
            print("  sections:")
            let nameWidth = max(8, h.sections.map(\.name.count).max() ?? 0)
            print("    " + "name".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  type     count        raw          zstd         frames")
            for s in h.sections {
                let zstd = s.frames.reduce(0) { $0 + $1.compressedBytes }
                print("    " + s.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                      + s.type.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                      + String(s.count).padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                      + formatBytes(s.rawBytes).padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                      + formatBytes(zstd).padding(toLength: 11, withPad: " ", startingAt: 0) + "  \(s.frames.count)")
            }
            print("  checksums    all \(h.sections.reduce(0) { $0 + $1.frames.count }) frames verified")
            if let rowLines {
                print("  rows (first \(rowLines.count)):")
                for line in rowLines { print("    " + line) }
            }
        } catch let error as ArtifactError {
            fail(error.description, code: .inputError)
        }
    }
}
