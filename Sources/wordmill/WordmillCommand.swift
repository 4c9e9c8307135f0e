import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillPipeline

/// The `wordmill` command: verbs for running pipelines and looking at what they made.
struct WordmillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wordmill",
        abstract: "Declarative JSON pipelines over text corpora: tokenize → vocab → windows → train → export.",
        discussion: """
            Exit codes: 0 ok (also nothing to do), 1 a stage failed, 64 usage, 65 invalid spec, \
            66 input error (missing, unreadable or damaged input), 75 locked by another run.
            """,
        version: "wordmill \(WordmillVersion.release) (artifact format \(ArtifactHeader.currentFormatVersion))",
        subcommands: [RunCommand.self, PlanCommand.self, ValidateCommand.self, InspectCommand.self, SimilarCommand.self, VectorsCommand.self, AnalogyCommand.self,
                      EvaluateCommand.self, PredictCommand.self, GenerateCommand.self, ExplainCommand.self,
                      StatusCommand.self, HistoryCommand.self, GCCommand.self, ReportCommand.self, SchemaCommand.self])
}

/// Prints an error and exits with the matching code.
func fail(_ message: String, code: WordmillPipeline.ExitCode) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    Foundation.exit(code.rawValue)
}

/// Loads and validates a spec or exits with its error.
func loadSpec(_ path: String) -> PipelineSpec {
    do {
        return try SpecLoader.load(path: path, catalog: catalog)
    } catch {
        fail(error.description, code: error.exitCode)
    }
}

/// wordmill's release, for `--version` (never in fingerprints: artifacts depend on ops'
/// algorithm versions, not on the tool's).
enum WordmillVersion {
    static let release = "0.1.0"
}
