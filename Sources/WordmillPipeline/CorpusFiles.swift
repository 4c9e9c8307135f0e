import Foundation
import WordmillArtifacts

/// Resolves the file and glob lists a stage names into existing regular files, in order.
public enum CorpusFiles {
    /// Expands `patterns` (relative to the spec's folder); `path` is the JSON path for errors.
    /// Globs expand sorted; a glob that matches nothing, a missing file, a folder or an
    /// unreadable file is an input error.
    public static func resolve(_ patterns: [String], spec: PipelineSpec, path: String, stage: String? = nil) throws(PipelineError) -> [String] {
        var files: [String] = []
        for (n, pattern) in patterns.enumerated() {
            let p = (patterns.count == 1 ? path : "\(path)[\(n)]") + (stage.map { " (stage '\($0)')" } ?? "")
            let full = spec.resolve(pattern)
            if pattern.contains(where: { "*?[".contains($0) }) {
                let matches = glob(full)
                if matches.isEmpty { throw .inputError("\(spec.path): \(p): no file matches \"\(pattern)\" (looked in \(FileSystem.parent(of: full)))") }
                for m in matches where FileSystem.isRegularFile(m) { files.append(m) }
                continue
            }
            var st = stat()
            if stat(full, &st) != 0 {
                throw .inputError("\(spec.path): \(p): corpus file \(full) \(errno == ENOENT ? "does not exist" : "cannot be read: \(FileSystem.errnoText())")")
            }
            if (st.st_mode & S_IFMT) == S_IFDIR { throw .inputError("\(spec.path): \(p): \(full) is a folder; name files or a glob such as \"\(pattern)/*.txt\"") }
            if access(full, R_OK) != 0 { throw .inputError("\(spec.path): \(p): corpus file \(full) cannot be read: \(FileSystem.errnoText())") }
            files.append(full)
        }
        return files
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Foundation.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}
