import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport

/// A corpus with two topics that never share a line, the spec that trains on it with
/// negative sampling, evaluates and exports every format.
struct TopicWorkspace {
    let dir = TemporaryDirectory()

    init() {
        var lines: [String] = []
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        let animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
        let tools = ["hammer", "saw", "drill", "wrench", "chisel", "plane", "file", "vise"]
        for _ in 0..<1500 {
            let words = next(2) == 0 ? animals : tools
            lines.append((0..<10).map { _ in words[next(words.count)] }.joined(separator: " "))
        }
        dir.write("corpus.txt", lines.joined(separator: "\n") + "\n")
        dir.write("questions.txt", ": animals\ncat dog horse cow\n: gram-tools\nhammer saw drill wrench\nhammer saw cat unicorn\n")
        // Within a topic 9, across topics 1: ties, so that the order inside each group (noise, with
        // similarities near 0.98 and near 0.1) does not move Spearman's ρ; separated topics give 0.894.
        dir.write("pairs.tsv", "# w1\tw2\tscore\ncat\tdog\t9\ncat\thammer\t1\nsaw\tdrill\t9\ndog\tvise\t1\ncat\tunicorn\t3\n")
        dir.write("spec.json", """
            {"wordmill": 1, "name": "topics", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 3},
              {"name": "sg", "op": "train", "from": "windows", "model": "word2vec", "objective": "negative", "dim": 12, "epochs": 3, "sample": 0},
              {"name": "eval", "op": "evaluate", "from": "sg", "analogies": "questions.txt", "similarities": "pairs.tsv", "metrics": "out/metrics.json"},
              {"name": "text", "op": "export", "from": "sg", "format": "word2vec-text", "path": "out/vectors.txt"},
              {"name": "bin", "op": "export", "from": "sg", "format": "word2vec-binary", "path": "out/vectors.bin"},
              {"name": "glove", "op": "export", "from": "sg", "format": "glove-text", "path": "out/glove.txt"},
              {"name": "npy", "op": "export", "from": "sg", "format": "npy", "path": "out/vectors.npy"},
              {"name": "projector", "op": "export", "from": "sg", "format": "projector-tsv", "path": "out/projector"},
              {"name": "picture", "op": "export", "from": "sg", "format": "svg", "path": "out/sg.svg"},
              {"name": "loss", "op": "export", "from": "sg", "format": "svg", "picture": "loss", "path": "out/loss.svg"}
            ]}
            """)
    }
}

func run(_ tool: String, _ arguments: [String]) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
}

@Suite(.serialized) struct CorpusScaleTests {
    @Test func negativeSamplingPipelineEvaluatesAndExportsDeterministically() throws {
        let a = TopicWorkspace(), b = TopicWorkspace()
        let first = try runWordmill(["run", a.dir.file("spec.json")])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try runWordmill(["run", b.dir.file("spec.json")]).status == 0)
        for name in ["vectors.txt", "vectors.bin", "glove.txt", "vectors.npy", "vectors.vocab.txt", "projector/vectors.tsv", "projector/metadata.tsv", "sg.svg", "loss.svg", "metrics.json"] {
            #expect(try FileSystem.readFile(a.dir.file("out/" + name)) == FileSystem.readFile(b.dir.file("out/" + name)), "\(name) differs between runs")
        }
        let metrics = try JSONParser.parse(FileSystem.readFile(a.dir.file("out/metrics.json")))
        let add = metrics["analogies"]?["questions.txt"]?["3CosAdd"]
        #expect(add?["skipped"] == 1)
        #expect(add?["answered"] == 2)
        let pairs = metrics["similarities"]?["pairs.tsv"]
        #expect(pairs?["skipped"] == 1)
        #expect(abs((pairs?["spearman"]?.doubleValue ?? 0) - 0.894) < 0.001, "topics should separate: \(metrics.canonicalText)")

        let similar = try runWordmill(["similar", a.dir.file("out/vectors.bin"), "cat", "-k", "7"])
        #expect(similar.stdout.split(separator: ",").count == 7)
        for animal in ["dog", "horse", "cow", "sheep", "goat", "pig", "duck"] { #expect(similar.stdout.contains(animal), "\(similar.stdout)") }
        let evaluate = try runWordmill(["evaluate", a.dir.file("out/vectors.txt"), "--analogies", a.dir.file("questions.txt"), "--json"])
        #expect(try JSONParser.parse(evaluate.stdout)["analogies"]?.objectValue?.count == 1)
    }

    @Test func evaluateGlobsStayInTheirOwnList() throws {
        let w = TopicWorkspace()
        w.dir.write("pairs2.tsv", "dog\tcat\t9\nsaw\thammer\t8\ncow\tdrill\t1\n")
        let spec = try String(contentsOfFile: w.dir.file("spec.json"), encoding: .utf8)
        w.dir.write("spec.json", spec.replacingOccurrences(of: #""similarities": "pairs.tsv""#, with: #""similarities": "pairs*.tsv""#))
        let run = try runWordmill(["run", w.dir.file("spec.json"), "--until", "eval"])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try JSONParser.parse(FileSystem.readFile(w.dir.file("out/metrics.json")))
        #expect(metrics["analogies"]?.objectValue?.keys.sorted() == ["questions.txt"])
        #expect(metrics["similarities"]?.objectValue?.keys.sorted() == ["pairs.tsv", "pairs2.tsv"])
    }

    @Test func exportsLoadInGensimAndNumpy() throws {
        let w = TopicWorkspace()
        #expect(try runWordmill(["run", w.dir.file("spec.json")]).status == 0)
        try #require(FileManager.default.isExecutableFile(atPath: Repository.python), "run `make test`: it creates .venv-test with numpy and gensim")
        let check = try run(Repository.python, [Repository.fixture("interop_check.py"), w.dir.file("out")])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.hasPrefix("interop ok 16 12"), "\(check.stdout)")
    }
}
