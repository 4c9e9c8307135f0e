#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened with `dlopen` when first needed (OpenBLAS, libmecab) rather than
/// linked into every process.
public struct DynamicLibrary: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// The name it was opened by.
    public let name: String

    /// Opens the first of `names` that loads; otherwise, why each did not (for an error).
    public static func open(_ names: [String]) -> Result<DynamicLibrary, DynamicLibraryError> {
        var reasons: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return .success(DynamicLibrary(handle: handle, name: name)) }
            reasons.append(dlerror().map { String(cString: $0) } ?? name)
        }
        return .failure(DynamicLibraryError(reasons: reasons))
    }

    /// The function `symbol` as `type` (a `@convention(c)` function type), or nil when the
    /// library lacks it.
    public func function<T>(_ symbol: String, as type: T.Type) -> T? {
        dlsym(handle, symbol).map { unsafeBitCast($0, to: type) }
    }
}

/// No name of a library loaded; `reasons` holds the loader's message for each.
public struct DynamicLibraryError: Error, Sendable, CustomStringConvertible {
    public let reasons: [String]
    public var description: String { reasons.joined(separator: "; ") }
}
