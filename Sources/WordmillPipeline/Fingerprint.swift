import WordmillArtifacts

/// A stage's fingerprint: 128 bits (two XXH64 seeds) over the canonical JSON of the op,
/// its resolved parameters, its inputs' fingerprints by slot, the content hashes of its
/// corpus files, the artifact format version, the op's algorithm version and, for ops that
/// depend on something outside the spec (an external analyser), its version. Never the
/// tool's version string, never a clock.
public enum Fingerprint {
    public static func compute(
        op: String, algorithmVersion: Int, parameters: [String: JSONValue], inputs: [String: String],
        files: [(hash: String, size: Int)], environment: JSONValue? = nil
    ) -> String {
        var document = JSONValue.object([
            "op": .string(op),
            "algorithm_version": .integer(algorithmVersion),
            "format_version": .integer(Int(ArtifactHeader.currentFormatVersion)),
            "parameters": .object(parameters),
            "inputs": .object(inputs.mapValues { .string($0) }),
            "files": .array(files.map { .array([.string($0.hash), .integer($0.size)]) }),
        ])
        if let environment, case .object(var fields) = document {
            fields["environment"] = environment
            document = .object(fields)
        }
        let bytes = Array(document.canonicalText.utf8)
        return XXH64.hash(bytes, seed: 0).hex16 + XXH64.hash(bytes, seed: 0x776F_7264_6D69_6C6C).hex16
    }
}
