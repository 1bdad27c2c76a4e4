import CArrowInterface
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An Arrow array before it is handed out: its length, null count, buffers (on the C heap, owned) and
/// children. `export(into:)` moves it into an `ArrowArray` whose release callback frees it all.
struct ExportedArray {
    var length: Int
    var nullCount: Int
    var buffers: [UnsafeMutableRawPointer?]
    var children: [ExportedArray]

    /// Fills `out`, which then owns the buffers: the consumer releases it with its release callback.
    func export(into out: UnsafeMutablePointer<ArrowArray>) {
        let owner = ArrayOwner(buffers: buffers, childCount: children.count)
        for (i, child) in children.enumerated() {
            child.export(into: owner.childStructs + i)
            owner.childPointers[i] = owner.childStructs + i
        }
        for (i, buffer) in buffers.enumerated() { owner.bufferList[i] = UnsafeRawPointer(buffer) }
        out.pointee = ArrowArray(
            length: Int64(length), null_count: Int64(nullCount), offset: 0,
            n_buffers: Int64(buffers.count), n_children: Int64(children.count),
            buffers: owner.bufferList, children: children.isEmpty ? nil : owner.childPointers, dictionary: nil,
            release: releaseArray, private_data: Unmanaged.passRetained(owner).toOpaque())
    }
}

/// What an exported `ArrowArray` owns: its buffers, the list of them, and its children's structs.
private final class ArrayOwner {
    let buffers: [UnsafeMutableRawPointer?]
    let bufferList: UnsafeMutablePointer<UnsafeRawPointer?>
    let childCount: Int
    let childStructs: UnsafeMutablePointer<ArrowArray>
    let childPointers: UnsafeMutablePointer<UnsafeMutablePointer<ArrowArray>?>

    init(buffers: [UnsafeMutableRawPointer?], childCount: Int) {
        self.buffers = buffers
        self.childCount = childCount
        bufferList = .allocate(capacity: max(buffers.count, 1))
        childStructs = .allocate(capacity: max(childCount, 1))
        childPointers = .allocate(capacity: max(childCount, 1))
    }

    deinit {
        // A child that the consumer moved out has its release set to NULL here: it is the consumer's now.
        for i in 0..<childCount {
            if let release = childStructs[i].release { release(childStructs + i) }
        }
        for buffer in buffers { free(buffer) }
        bufferList.deallocate()
        childStructs.deallocate()
        childPointers.deallocate()
    }
}

/// The release callback of every array the library exports.
private func releaseArray(_ array: UnsafeMutablePointer<ArrowArray>?) {
    guard let array, let data = array.pointee.private_data else { return }
    Unmanaged<ArrayOwner>.fromOpaque(data).release()
    array.pointee.release = nil
    array.pointee.private_data = nil
}
