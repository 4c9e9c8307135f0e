import WordmillArtifacts
import WordmillSupport

/// A stage's fingerprint: 128 bits (two XXH64 seeds) over the canonical JSON of the op, its
/// variant and that variant's algorithm version, every resolved parameter (defaults
/// included), its inputs' fingerprints by slot, the content hashes of its files, the
/// artifact format version and what the variant declares it depends on outside the spec
/// (an analyser's version, a dictionary's identity). Never the tool's version string,
/// never a clock. `plan`, `run` and `status` all compute it here.
public enum Fingerprint {
    public static func of(
        _ stage: StageSpec, inputs: [String: String], files: [(hash: String, size: Int)], environment: JSONValue?
    ) -> String {
        var fields: [String: JSONValue] = [
            "op": .string(stage.op),
            "variant": .string(stage.variant.name),
            "algorithm_version": .integer(stage.variant.algorithmVersion),
            "format_version": .integer(Int(ArtifactHeader.currentFormatVersion)),
            "parameters": .object(stage.parameters),
            "inputs": .object(inputs.mapValues { .string($0) }),
            "files": .array(files.map { .array([.string($0.hash), .integer($0.size)]) }),
        ]
        if let environment { fields["environment"] = environment }
        return digest(.object(fields))
    }

    /// The fingerprint of shard I of N of a stage whose own fingerprint is `stage`: the
    /// shard artifact is up to date, and usable by `--merge`, only while this matches.
    public static func ofShard(_ stage: String, _ shard: ShardIndex) -> String {
        digest(["stage": .string(stage), "shard": .integer(shard.index), "shards": .integer(shard.count)])
    }

    private static func digest(_ value: JSONValue) -> String {
        let bytes = Array(value.canonicalText.utf8)
        return XXH64.hash(bytes, seed: 0).hex16 + XXH64.hash(bytes, seed: 0x776F_7264_6D69_6C6C).hex16
    }
}
