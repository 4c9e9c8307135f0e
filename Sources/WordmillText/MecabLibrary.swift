import CMecab
import WordmillSupport

/// MeCab's entry points, loaded with `dlopen` when a `mecab` tokenizer first needs them
/// rather than linked into every process: loading libmecab and the C++ runtime it pulls in
/// cost each run about a millisecond, and a machine without libmecab could not start
/// wordmill at all, where now only the `mecab` tokenizer fails, saying what to install.
struct MecabLibrary: @unchecked Sendable {
    typealias ModelNew = @convention(c) (Int32, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer?
    typealias StrError = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias Destroy = @convention(c) (OpaquePointer?) -> Void
    typealias New = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias SetSentence = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int) -> Void
    typealias Parse = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias BosNode = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<mecab_node_t>?

    let modelNew: ModelNew
    let strerror: StrError
    let modelDestroy: Destroy
    let modelNewTagger: New
    let modelNewLattice: New
    let latticeDestroy: Destroy
    let destroy: Destroy
    let latticeSetSentence: SetSentence
    let parseLattice: Parse
    let latticeStrerror: StrError
    let latticeBosNode: BosNode

    /// The library, or why it could not be loaded (once per process).
    static let shared: Result<MecabLibrary, MecabError> = load()

    /// The names Debian (`libmecab2`, which `make deps` installs with `libmecab-dev`) and
    /// Homebrew give it.
    private static let names = ["libmecab.so.2", "libmecab.so", "libmecab.2.dylib", "libmecab.dylib"]

    private static func load() -> Result<MecabLibrary, MecabError> {
        let library: DynamicLibrary
        switch DynamicLibrary.open(names) {
        case .success(let opened): library = opened
        case .failure(let error):
            return .failure(MecabError(message: "cannot load MeCab (\(error)); install it with `apt-get install libmecab-dev` (make deps does)"))
        }
        var missing: [String] = []
        func symbol<T>(_ symbol: String, as type: T.Type) -> T? {
            let function = library.function(symbol, as: type)
            if function == nil { missing.append(symbol) }
            return function
        }
        let entries = MecabLibrary(
            modelNew: symbol("mecab_model_new", as: ModelNew.self), strerror: symbol("mecab_strerror", as: StrError.self),
            modelDestroy: symbol("mecab_model_destroy", as: Destroy.self), modelNewTagger: symbol("mecab_model_new_tagger", as: New.self),
            modelNewLattice: symbol("mecab_model_new_lattice", as: New.self), latticeDestroy: symbol("mecab_lattice_destroy", as: Destroy.self),
            destroy: symbol("mecab_destroy", as: Destroy.self), latticeSetSentence: symbol("mecab_lattice_set_sentence2", as: SetSentence.self),
            parseLattice: symbol("mecab_parse_lattice", as: Parse.self), latticeStrerror: symbol("mecab_lattice_strerror", as: StrError.self),
            latticeBosNode: symbol("mecab_lattice_get_bos_node", as: BosNode.self))
        guard let entries else {
            return .failure(MecabError(message: "\(library.name) lacks \(missing.joined(separator: ", ")): not a MeCab 0.996-compatible library"))
        }
        return .success(entries)
    }

    /// All entry points, or nil when one is missing.
    private init?(modelNew: ModelNew?, strerror: StrError?, modelDestroy: Destroy?, modelNewTagger: New?, modelNewLattice: New?,
                  latticeDestroy: Destroy?, destroy: Destroy?, latticeSetSentence: SetSentence?, parseLattice: Parse?,
                  latticeStrerror: StrError?, latticeBosNode: BosNode?) {
        guard let modelNew, let strerror, let modelDestroy, let modelNewTagger, let modelNewLattice, let latticeDestroy,
              let destroy, let latticeSetSentence, let parseLattice, let latticeStrerror, let latticeBosNode else { return nil }
        self.modelNew = modelNew
        self.strerror = strerror
        self.modelDestroy = modelDestroy
        self.modelNewTagger = modelNewTagger
        self.modelNewLattice = modelNewLattice
        self.latticeDestroy = latticeDestroy
        self.destroy = destroy
        self.latticeSetSentence = latticeSetSentence
        self.parseLattice = parseLattice
        self.latticeStrerror = latticeStrerror
        self.latticeBosNode = latticeBosNode
    }
}
