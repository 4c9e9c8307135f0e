import Foundation
import Testing
import WordmillArtifacts
import WordmillExport
import WordmillSupport
import WordmillTestSupport

/// Recurrent models through the built binary: the lecture's hello example, a tagger, and
/// resuming a killed training run.
@Suite(.serialized) struct RecurrentPipelinesTests {
    @Test func helloCharRNNContinuesHIntoHello() throws {
        let dir = TemporaryDirectory()
        dir.write("pipelines/hello-char-rnn.json", try String(contentsOfFile: Repository.root + "/pipelines/hello-char-rnn.json", encoding: .utf8))
        dir.write("corpora/hello/hello.txt", "hello\n")
        let run = try runWordmill(["run", dir.file("pipelines/hello-char-rnn.json")])
        #expect(run.status == 0, "\(run.stderr)")
        let model = dir.file("pipelines/artifacts/hello-char-rnn/rnn.wma")
        let greedy = try runWordmill(["generate", model, "--prompt", "h", "--temperature", "0", "--length", "10"])
        #expect(greedy.stdout == "hello\n", "\(greedy.stdout)\(greedy.stderr)")
        let metrics = try JSONParser.parse(try FileSystem.readFile(dir.file("pipelines/exports/hello-char-rnn/metrics.json")))
        #expect(metrics["tokens"]?.intValue == 5)  // h→e, e→l, l→l, l→o, o→<eos>
        #expect((metrics["perplexity"]?.doubleValue ?? 9) < 1.01)
        // The weights file holds PyTorch's names and shapes.
        let bytes = try FileSystem.readFile(dir.file("pipelines/exports/hello-char-rnn/rnn.safetensors"))
        let (tensors, metadata) = try SafetensorsFormat.decode(bytes, path: "rnn.safetensors")
        #expect(tensors.map(\.name) == ["embedding.weight", "head.bias", "head.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"])
        #expect(tensors.first { $0.name == "rnn.weight_ih_l0" }?.shape == [16, 8])
        #expect(metadata["cell"] == "rnn_tanh")
        let vocabulary = try String(contentsOfFile: dir.file("pipelines/exports/hello-char-rnn/rnn.vocab.txt"), encoding: .utf8)
        #expect(vocabulary.hasPrefix("<pad>\n<unk>\n<eos>\n"))
        let predict = try runWordmill(["predict", model, "hello"])
        #expect(predict.status == 64 && predict.stderr.contains("wordmill generate"))
    }

    /// A toy tagging corpus: each letter is tagged V (vowel) or C.
    static func taggedCorpus(words: [String]) -> String {
        words.map { word in word.map { "\($0)\t\("aeiou".contains($0) ? "V" : "C")" }.joined(separator: "\n") + "\n" }.joined(separator: "\n")
    }

    @Test func taggerLearnsVowelsAndPredictsPerToken() throws {
        let dir = TemporaryDirectory()
        let words = ["banana", "kiwi", "apple", "grape", "melon", "lemon", "mango", "peach", "plum", "cherry", "guava", "olive", "onion", "tomato"]
        dir.write("train.tsv", Self.taggedCorpus(words: words + words.map { String($0.reversed()) }))
        dir.write("test.tsv", Self.taggedCorpus(words: ["pineapple", "coconut"]))
        dir.write("spec.json", """
            {"wordmill": 1, "name": "tags", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "test_inputs": "test.tsv", "format": "tagged", "tokenizer": "chars"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "tag"},
              {"name": "tagger", "op": "train", "from": "sequences", "model": "rnn", "cell": "gru", "bidirectional": true,
               "embedding_dim": 8, "hidden": 16, "batch_size": 4, "epochs": 40, "lr": 0.02, "seed": 3},
              {"name": "eval", "op": "evaluate", "from": ["tagger", "sequences"], "metrics": "metrics.json"}
            ]}
            """)
        let run = try runWordmill(["run", dir.file("spec.json")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("30 tagged sentences"), "\(run.stdout)")
        let metrics = try JSONParser.parse(try FileSystem.readFile(dir.file("metrics.json")))
        #expect(metrics["unit"] == "token")
        #expect(metrics["documents"]?.intValue == 16)  // the letters of pineapple and coconut
        #expect((metrics["accuracy"]?.doubleValue ?? 0) == 1, "\(metrics)")
        // inspect reads only the documents it shows: the first training word, the last (test) one.
        let rows = try runWordmill(["inspect", dir.file("art/sequences.wma"), "--rows", "30"])
        let lines = rows.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("0: b/C a/V n/C a/V n/C a/V") && lines.contains("29 (test): c/C o/V c/C o/V n/C u/V t/C"), "\(rows.stdout)")
        let predict = try runWordmill(["predict", dir.file("art/tagger.wma"), "--format", "jsonl", "tea"])
        let object = try JSONParser.parse(Array(predict.stdout.utf8.dropLast()))
        #expect(object["tokens"] == ["t", "e", "a"])
        #expect(object["tags"] == ["C", "V", "V"], "\(predict.stdout)")
    }

    static let classifierSpec = """
        {"wordmill": 1, "name": "resume", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "split": {"test_fraction": 0.25, "seed": 2}},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
          {"name": "rnn", "op": "train", "from": "sequences", "model": "rnn", "cell": "lstm", "layers": 2, "dropout": 0.2,
           "embedding_dim": 8, "hidden": 12, "batch_size": 8, "epochs": 4, "lr": LR, "seed": 5}
        ]}
        """

    static func classifierWorkspace(lr: String = "0.01") -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        var lines: [String] = []
        let fruit = ["apple", "pear", "plum", "fig"], tools = ["saw", "drill", "hammer", "nail"]
        for i in 0..<40 {
            let words = (0..<(3 + i % 5)).map { k in (i % 2 == 0 ? fruit : tools)[(i + k * 3) % 4] }
            lines.append("\(i % 2 == 0 ? "fruit" : "tool")\t\(words.joined(separator: " "))")
        }
        dir.write("train.tsv", lines.joined(separator: "\n") + "\n")
        dir.write("spec.json", classifierSpec.replacingOccurrences(of: "LR", with: lr))
        return dir
    }

    @Test func killedTrainingResumesToTheSameWeights() throws {
        let clean = Self.classifierWorkspace()
        #expect(try runWordmill(["run", clean.file("spec.json")]).status == 0)
        let expected = try ArtifactReader(path: clean.file("art/rnn.wma")).readArray("parameters", as: Float.self)

        let killed = Self.classifierWorkspace()
        let first = try runWordmill(["run", killed.file("spec.json")], environment: ["WORDMILL_FAULT_KILL": "checkpoint:rnn.wma.checkpoint:2"])
        #expect(first.status == 9, "killed by SIGKILL: \(first.status) \(first.stderr)")
        #expect(first.stderr.contains("wordmill-fault: killed at checkpoint:rnn.wma.checkpoint:2"))
        #expect(!FileSystem.isRegularFile(killed.file("art/rnn.wma")))
        #expect(FileSystem.isRegularFile(killed.file("art/rnn.wma.checkpoint")))
        let second = try runWordmill(["run", killed.file("spec.json")])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resuming after epoch 2"), "\(second.stdout)")
        #expect(!second.stdout.contains("epoch 1/4") && second.stdout.contains("epoch 3/4"))
        let resumed = try ArtifactReader(path: killed.file("art/rnn.wma")).readArray("parameters", as: Float.self)
        #expect(resumed.map(\.bitPattern) == expected.map(\.bitPattern), "resumed weights differ from an uninterrupted run")
        #expect(try FileSystem.readFile(killed.file("art/rnn.wma")) == FileSystem.readFile(clean.file("art/rnn.wma")), "the model artifacts differ in bytes")
        #expect(!FileSystem.isRegularFile(killed.file("art/rnn.wma.checkpoint")), "the checkpoint is removed once the model is written")
        // History: all four epochs, the first two from the checkpoint.
        let history = try ArtifactReader(path: killed.file("art/rnn.wma")).header.metadata["history"]?.arrayValue ?? []
        #expect(history.count == 4)
    }

    /// The lecture's "use a pretrained word2vec": word2vec vectors seed the embedding, and
    /// with `freeze` they come out of training unchanged.
    @Test func frozenPretrainedEmbeddingsFromWord2Vec() throws {
        let dir = Self.classifierWorkspace()
        dir.write("spec.json", """
            {"wordmill": 1, "name": "pretrained", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "split": {"test_fraction": 0.25, "seed": 2}},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 2},
              {"name": "w2v", "op": "train", "from": "windows", "model": "word2vec", "dim": 6, "epochs": 2, "seed": 1},
              {"name": "vectors", "op": "export", "from": "w2v", "format": "word2vec-text", "path": "w2v.txt"},
              {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
              {"name": "rnn", "op": "train", "from": ["sequences", "w2v"], "model": "rnn", "cell": "gru", "freeze": true,
               "hidden": 8, "batch_size": 8, "epochs": 3, "lr": 0.01, "seed": 1}
            ]}
            """)
        let run = try runWordmill(["run", dir.file("spec.json")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("embeddings from stage 'w2v': 8 of 10 tokens found"), "\(run.stdout)")
        var vectors: [String: [Float]] = [:]
        for line in try String(contentsOfFile: dir.file("w2v.txt"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            vectors[String(fields[0])] = fields.dropFirst().map { Float($0)! }
        }
        let model = try ArtifactReader(path: dir.file("art/rnn.wma"))
        let tokens = try model.readStrings("vocabulary"), parameters = try model.readArray("parameters", as: Float.self)
        #expect(model.header.metadata["embedding_dim"]?.intValue == 6)
        for (id, token) in tokens.enumerated() where vectors[token] != nil {
            #expect(Array(parameters[(id * 6)..<(id * 6 + 6)]) == vectors[token]!, "row of \(token) moved or differs")
        }
        // Asking for another size than the vectors have is an error naming both.
        dir.write("spec.json", try String(contentsOfFile: dir.file("spec.json"), encoding: .utf8).replacingOccurrences(of: "\"freeze\": true,", with: "\"freeze\": true, \"embedding_dim\": 7,"))
        let wrong = try runWordmill(["run", dir.file("spec.json")])
        #expect(wrong.status == 65 && wrong.stderr.contains("embedding_dim (stage 'rnn'): is 7, but stage 'w2v' has 6-dimensional vectors"), "\(wrong.stderr)")
    }

    @Test func checkpointOfAnotherConfigurationIsDiscarded() throws {
        let dir = Self.classifierWorkspace()
        let first = try runWordmill(["run", dir.file("spec.json")], environment: ["WORDMILL_FAULT_KILL": "checkpoint:rnn.wma.checkpoint:1"])
        #expect(first.status == 9)
        dir.write("spec.json", Self.classifierSpec.replacingOccurrences(of: "LR", with: "0.02"))
        let second = try runWordmill(["run", dir.file("spec.json")])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("discarding a checkpoint of an earlier configuration"), "\(second.stdout)")
        #expect(second.stdout.contains("epoch 1/4"))
    }
}

/// The safetensors export loads into PyTorch's own modules (`load_state_dict(strict=True)`)
/// and they compute the probabilities wordmill's predict does. Needs bench/.venv-torch
/// (bench/recurrent/setup_torch.sh); skipped with a message without it.
@Suite(.serialized) struct RecurrentTorchInteropTests {
    @Test func pytorchLoadsTheWeightsAndAgrees() throws {
        let python = Repository.root + "/bench/.venv-torch/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python),
              (try? run(python, ["-c", "import torch, safetensors"]))?.status == 0 else {
            print("skipped: pytorchLoadsTheWeightsAndAgrees needs bench/.venv-torch with torch and safetensors (bench/recurrent/setup_torch.sh)")
            return
        }
        let dir = RecurrentPipelinesTests.classifierWorkspace()
        var spec = RecurrentPipelinesTests.classifierSpec.replacingOccurrences(of: "LR", with: "0.01")
        spec = spec.replacingOccurrences(of: "\"layers\": 2, \"dropout\": 0.2,", with: "\"layers\": 2, \"bidirectional\": true,")
        spec = spec.replacingOccurrences(of: "\"seed\": 5}", with: "\"seed\": 5},\n  {\"name\": \"weights\", \"op\": \"export\", \"from\": \"rnn\", \"format\": \"safetensors\", \"path\": \"rnn.safetensors\"}")
        dir.write("spec.json", spec)
        let run1 = try runWordmill(["run", dir.file("spec.json")])
        #expect(run1.status == 0, "\(run1.stderr)")
        let predict = try runWordmill(["predict", dir.file("art/rnn.wma"), "--format", "jsonl", "apple pear fig", "saw drill", "plum nail apple hammer", "unknownword fig"])
        #expect(predict.status == 0, "\(predict.stderr)")
        dir.write("predictions.jsonl", predict.stdout)
        let check = try run(python, [Repository.fixture("recurrent/torch_interop.py"), dir.file("rnn.safetensors"), dir.file("rnn.vocab.txt"), dir.file("predictions.jsonl")])
        #expect(check.status == 0 && check.stdout.contains("torch interop ok 4"), "\(check.stdout)")
    }
}
