import Foundation
import Testing
import WordmillSupport
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// Validates spec text written to a temporary folder and returns the issues (empty when valid).
func issues(_ text: String, files: [String: String] = [:]) -> (issues: [SpecIssue], code: ExitCode?) {
    let dir = TemporaryDirectory()
    for (name, content) in files { dir.write(name, content) }
    let path = dir.write("spec.json", text)
    do {
        let spec = try SpecLoader.load(path: path, catalog: StageCatalog.operations)
        _ = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: dir.file("state")))
        return ([], nil)
    } catch {
        if case .invalidSpec(_, let found) = error { return (found, error.exitCode) }
        return ([SpecIssue(path: "", message: error.description)], error.exitCode)
    }
}

let corpus = ["corpus.txt": "a b c d e\n"]

func stages(_ s: String) -> String { #"{"wordmill": 1, "name": "t", "stages": [\#(s)]}"# }

@Suite struct SpecValidationTests {
    @Test func validSpecPasses() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok"}"#), files: corpus)
        #expect(r.issues.isEmpty)
    }

    @Test func unknownOpSuggestsNearest() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenise", "inputs": "corpus.txt"}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.count == 1)
        #expect(r.issues[0].path == "stages[0].op")
        #expect(r.issues[0].message.contains("unknown op 'tokenise' (did you mean 'tokenize'?)"))
    }

    @Test func unknownKeySuggestsNearest() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok", "min_cont": 2}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.map(\.path) == ["stages[1].min_cont"])
        #expect(r.issues[0].message.contains("did you mean 'min_count'?"))
        #expect(r.issues[0].stage == "v")
        #expect(r.issues[0].description.hasPrefix("stages[1].min_cont (stage 'v'): unknown parameter"))
    }

    @Test func wrongTypeNamesThePath() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "words", "lowercase": "yes"}}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.map(\.path) == ["stages[0].tokenizer.lowercase"])
        #expect(r.issues[0].message.contains("expected true or false, got string \"yes\""))
        let r2 = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok", "min_count": 0}"#), files: corpus)
        #expect(r2.issues.map(\.path) == ["stages[1].min_count"])
        let r3 = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "wrods"}"#), files: corpus)
        #expect(r3.issues.map(\.path) == ["stages[0].tokenizer"])
        #expect(r3.issues[0].message.contains("did you mean 'words'?"))
    }

    @Test func missingFromAndUnknownFrom() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab"}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.map(\.path) == ["stages[1].from"])
        #expect(r.issues[0].message.contains("missing \"from\""))
        let r2 = issues(stages(#"{"name": "tokens", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tokns"}"#), files: corpus)
        #expect(r2.issues.map(\.path) == ["stages[1].from"])
        #expect(r2.issues[0].message.contains("no stage named 'tokns' (did you mean 'tokens'?)"))
    }

    @Test func wrongInputKind() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok"}, {"name": "v2", "op": "vocab", "from": "v"}"#), files: corpus)
        #expect(r.issues.map(\.path) == ["stages[2].from"])
        #expect(r.issues[0].message.contains("produces 'vocab'"))
        let r2 = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "w", "op": "windows", "from": "tok", "kind": "cbow"}"#), files: corpus)
        #expect(r2.issues.map(\.path) == ["stages[1].from"])
        #expect(r2.issues[0].message.contains("also needs a 'vocab' stage"))
    }

    @Test func duplicateNames() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.map(\.path) == ["stages[1].name"])
        #expect(r.issues[0].message.contains("duplicate stage name 'tok'"))
    }

    @Test func cycles() {
        let r = issues(stages(#"{"name": "a", "op": "vocab", "from": "b"}, {"name": "b", "op": "vocab", "from": "a"}"#))
        #expect(r.code == .invalidSpec)
        // vocab reads tokens, so kinds are wrong too; the cycle check runs once those are fixed.
        let r2 = issues(stages(#"{"name": "w", "op": "windows", "from": ["t", "v"], "kind": "cbow"}, {"name": "t", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "t"}"#), files: corpus)
        #expect(r2.issues.isEmpty, "order in the file does not matter: \(r2.issues)")
        _ = r
    }

    @Test func cycleIsReported() throws {
        // A cycle needs ops that read their own kind; build the spec directly with a tiny catalog.
        let loop = OperationDefinition(name: "loop", summary: "", parameters: [], inputs: [InputSlot("x", kinds: ["k"])],
                                       outputKind: "k", algorithmVersion: 1, run: { _ in StageReport() })
        let json = try JSONParser.parse(stages(#"{"name": "a", "op": "loop", "from": "c"}, {"name": "b", "op": "loop", "from": "a"}, {"name": "c", "op": "loop", "from": "b"}"#))
        do {
            _ = try SpecLoader.validate(json, path: "spec.json", catalog: OperationCatalog([loop]))
            Issue.record("cycle accepted")
        } catch {
            guard case .invalidSpec(_, let found) = error else { Issue.record("wrong error \(error)"); return }
            #expect(found.map(\.message) == ["the stages form a cycle: a → c → b → a"])
        }
    }

    @Test func missingInputFilesAreInputErrors() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": ["corpus.txt", "missing.txt"]}"#), files: corpus)
        #expect(r.code == .inputError)
        #expect(r.issues[0].message.contains("stages[0].inputs[1] (stage 'tok')"))
        #expect(r.issues[0].message.contains("missing.txt does not exist"))
        let r2 = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "nothing-*.txt"}"#), files: corpus)
        #expect(r2.code == .inputError)
        #expect(r2.issues[0].message.contains("no file matches"))
    }

    @Test func syntaxAndTopLevelErrors() {
        let r = issues("{\"wordmill\": 1,\n \"stages\": [}")
        #expect(r.code == .invalidSpec)
        #expect(r.issues[0].message.contains("line 2"))
        let r2 = issues(#"{"wordmill": 2, "name": "x", "stage": []}"#)
        #expect(r2.code == .invalidSpec)
        #expect(r2.issues.map(\.path).sorted() == ["stage", "stages", "wordmill"])
        #expect(r2.issues.first { $0.path == "stage" }!.message.contains("did you mean 'stages'?"))
    }

    @Test func variantKeyIsChecked() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok"}, {"name": "w", "op": "windows", "from": ["tok", "v"], "kind": "cbow"}, {"name": "m", "op": "train", "from": "w", "model": "word2vek"}"#), files: corpus)
        #expect(r.issues.map(\.path) == ["stages[3].model"])
        #expect(r.issues[0].message.contains("did you mean 'word2vec'?"))
        let r2 = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok"}, {"name": "w", "op": "windows", "from": ["tok", "v"], "kind": "cbow"}, {"name": "m", "op": "train", "from": "w", "model": "word2vec", "objective": "negativ"}"#), files: corpus)
        #expect(r2.issues.map(\.path) == ["stages[3].objective"])
        #expect(r2.issues[0].message.contains("did you mean 'negative'?"))
    }
}
