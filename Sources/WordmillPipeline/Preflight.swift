
/// What `validate` and `run` check outside the spec before any stage does work: every file a
/// stage names exists and can be read, and what each variant requires of the machine (a
/// dictionary folder, an analyser on PATH) is there. Problems are input errors (exit 66),
/// all reported at once, each with its JSON path.
public enum Preflight {
    public static func check(_ spec: PipelineSpec) throws(PipelineError) {
        var problems: [String] = []
        for stage in spec.stages {
            for key in stage.variant.fileParameters {
                do {
                    _ = try CorpusFiles.resolve(stage.parameters.strings(key), spec: spec, path: "\(stage.jsonPath).\(key)", stage: stage.name)
                } catch {
                    problems.append(error.description)
                }
            }
            for issue in stage.variant.requirements?(stage, spec) ?? [] {
                var named = issue
                named.stage = stage.name
                problems.append("\(spec.path): \(named)")
            }
        }
        guard problems.isEmpty else { throw .inputError(problems.joined(separator: "\n")) }
    }
}
