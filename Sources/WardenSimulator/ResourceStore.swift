import Synchronization

/// In-memory resources (batches, files) by id, newest first as the API lists them.
final class ResourceStore<Resource: Identifiable & Sendable>: Sendable where Resource.ID == String {
    private let resources = Mutex<[Resource]>([])

    var all: [Resource] {
        resources.withLock { $0 }
    }

    func insert(_ resource: Resource) {
        resources.withLock { $0.insert(resource, at: 0) }
    }

    func find(_ id: String) -> Resource? {
        resources.withLock { list in list.first { $0.id == id } }
    }

    /// Removes and returns the resource, or nil if there is none with this id.
    func remove(_ id: String) -> Resource? {
        resources.withLock { list in list.firstIndex { $0.id == id }.map { list.remove(at: $0) } }
    }
}
