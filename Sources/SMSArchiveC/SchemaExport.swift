import CArrowInterface
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The schema of the batches: a struct (a record batch) of `columns`, moved into `out`.
func exportSchema(_ columns: [OutputColumn], into out: UnsafeMutablePointer<ArrowSchema>) {
    let fields = columns.map { SchemaNode(format: $0.format, name: $0.name, nullable: $0.nullable, children: []) }
    SchemaNode(format: "+s", name: "", nullable: false, children: fields).export(into: out)
}

/// One field of a schema before it is handed out. Each exported node owns its own strings and
/// children, so that a consumer may move a child out and release it alone, as the specification allows.
private struct SchemaNode {
    var format: String
    var name: String
    var nullable: Bool
    var children: [SchemaNode]

    func export(into out: UnsafeMutablePointer<ArrowSchema>) {
        let owner = SchemaOwner(format: format, name: name, childCount: children.count)
        for (i, child) in children.enumerated() {
            child.export(into: owner.childStructs + i)
            owner.childPointers[i] = owner.childStructs + i
        }
        out.pointee = ArrowSchema(
            format: UnsafePointer(owner.format), name: UnsafePointer(owner.name), metadata: nil,
            flags: nullable ? Int64(ARROW_FLAG_NULLABLE) : 0, n_children: Int64(children.count),
            children: children.isEmpty ? nil : owner.childPointers, dictionary: nil,
            release: releaseSchema, private_data: Unmanaged.passRetained(owner).toOpaque())
    }
}

/// What an exported schema owns: its strings and its children's structs.
private final class SchemaOwner {
    let format: UnsafeMutablePointer<CChar>
    let name: UnsafeMutablePointer<CChar>
    let childCount: Int
    let childStructs: UnsafeMutablePointer<ArrowSchema>
    let childPointers: UnsafeMutablePointer<UnsafeMutablePointer<ArrowSchema>?>

    init(format: String, name: String, childCount: Int) {
        self.format = strdup(format)
        self.name = strdup(name)
        self.childCount = childCount
        childStructs = .allocate(capacity: max(childCount, 1))
        childPointers = .allocate(capacity: max(childCount, 1))
    }

    deinit {
        // A child the consumer moved out has its release set to NULL here: it is the consumer's now.
        for i in 0..<childCount {
            if let release = childStructs[i].release { release(childStructs + i) }
        }
        free(format)
        free(name)
        childStructs.deallocate()
        childPointers.deallocate()
    }
}

/// The release callback of every schema the library exports.
private func releaseSchema(_ schema: UnsafeMutablePointer<ArrowSchema>?) {
    guard let schema, let data = schema.pointee.private_data else { return }
    Unmanaged<SchemaOwner>.fromOpaque(data).release()
    schema.pointee.release = nil
    schema.pointee.private_data = nil
}
