import HTTPTypes

/// The endpoints the simulator serves, recognised from the path alone so that a query such as `?beta=true`
/// never changes the route.
enum UpstreamRoute: Equatable {
    case createMessage
    case countTokens
    case listModels
    case getModel(String)
    case createBatch
    case listBatches
    case getBatch(String)
    case cancelBatch(String)
    case deleteBatch(String)
    case batchResults(String)
    case uploadFile
    case listFiles
    case getFile(String)
    case fileContent(String)
    case deleteFile(String)

    init?(method: HTTPRequest.Method, path: String) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count <= 5, segments.first == "v1" else { return nil }
        func segment(_ index: Int) -> String? { index < segments.count ? segments[index] : nil }
        switch (method, segment(1), segment(2), segment(3), segment(4)) {
        case (.post, "messages", nil, nil, nil): self = .createMessage
        case (.post, "messages", "count_tokens", nil, nil): self = .countTokens
        case (.post, "messages", "batches", nil, nil): self = .createBatch
        case (.get, "messages", "batches", nil, nil): self = .listBatches
        case (.get, "messages", "batches", let id?, nil): self = .getBatch(id)
        case (.delete, "messages", "batches", let id?, nil): self = .deleteBatch(id)
        case (.post, "messages", "batches", let id?, "cancel"): self = .cancelBatch(id)
        case (.get, "messages", "batches", let id?, "results"): self = .batchResults(id)
        case (.get, "models", nil, nil, nil): self = .listModels
        case (.get, "models", let id?, nil, nil): self = .getModel(id)
        case (.post, "files", nil, nil, nil): self = .uploadFile
        case (.get, "files", nil, nil, nil): self = .listFiles
        case (.get, "files", let id?, nil, nil): self = .getFile(id)
        case (.get, "files", let id?, "content", nil): self = .fileContent(id)
        case (.delete, "files", let id?, nil, nil): self = .deleteFile(id)
        default: return nil
        }
    }
}
