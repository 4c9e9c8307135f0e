import WordmillSupport

/// OpenBLAS's entry points, loaded with `dlopen` when a stage first multiplies matrices
/// rather than linked into every process: loading it runs its constructor, which starts a
/// worker thread per core, and cost about 2 ms of each run, including those that only
/// tokenize, count or look up neighbours and never call it.
struct OpenBLASLibrary: @unchecked Sendable {
    // CBLAS's enums are C ints; blasint is a 32-bit int in Debian's (LP64) OpenBLAS.
    typealias Sgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias Sgemv = @convention(c) (Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias Sdot = @convention(c) (Int32, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32) -> Float
    typealias Saxpy = @convention(c) (Int32, Float, UnsafePointer<Float>?, Int32, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias GetThreads = @convention(c) () -> Int32
    typealias Shutdown = @convention(c) () -> Int32

    /// CBLAS's values for row-major storage and (no) transposition.
    static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

    let sgemm: Sgemm
    let sgemv: Sgemv
    let sdot: Sdot
    let saxpy: Saxpy
    let setThreads: SetThreads
    let getThreads: GetThreads

    /// The library, loaded on first use (thread-safe: a `static let` is initialised once).
    static let shared = load()

    /// The names Debian (`libopenblas0`, which `make deps` installs) and Homebrew give it.
    private static let names = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

    private static func load() -> OpenBLASLibrary {
        let library: DynamicLibrary
        switch DynamicLibrary.open(names) {
        case .success(let opened): library = opened
        case .failure(let error): fatalError("cannot load OpenBLAS (\(error)); install it with `apt-get install libopenblas-dev` (make deps does)")
        }
        func symbol<T>(_ symbol: String, as type: T.Type) -> T {
            guard let function = library.function(symbol, as: type) else {
                fatalError("\(library.name) has no \(symbol); wordmill needs OpenBLAS (apt-get install libopenblas-dev)")
            }
            return function
        }
        // Its worker threads start when it loads and spin on sched_yield while idle, taking
        // a core from the stage's own threads: stopped until a multi-threaded call needs them.
        if let shutdown = library.function("blas_thread_shutdown_", as: Shutdown.self) { _ = shutdown() }
        return OpenBLASLibrary(
            sgemm: symbol("cblas_sgemm", as: Sgemm.self), sgemv: symbol("cblas_sgemv", as: Sgemv.self),
            sdot: symbol("cblas_sdot", as: Sdot.self), saxpy: symbol("cblas_saxpy", as: Saxpy.self),
            setThreads: symbol("openblas_set_num_threads", as: SetThreads.self),
            getThreads: symbol("openblas_get_num_threads", as: GetThreads.self))
    }
}
