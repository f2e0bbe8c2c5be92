import Foundation

/// The OpenAPI 3.1 description of the facade, kept in the repository and served as it is.
public enum OpenAPIDocument {
    public static let data: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
        .flatMap { try? Data(contentsOf: $0) }
}
