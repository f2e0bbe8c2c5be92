import CCurl
import Foundation

/// libcurl's global state, initialised once before the first handle (curl_global_init is not
/// thread-safe, so it runs inside Swift's one-time initialisation of this global).
let curlGlobalInit: Bool = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}()

/// One libcurl easy handle. Not Sendable: libcurl allows a handle on one thread at a time, and
/// each transfer here runs start to end on a thread of its own.
final class CurlHandle {
    let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws(HTTPError) {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else { throw HTTPError(url: "", kind: .transport, message: "libcurl could not make a handle") }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = onboard_curl_setopt_long(handle, option, value)
    }

    func set(_ option: CURLoption, _ value: String) {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        _ = value.withCString { onboard_curl_setopt_string(handle, option, $0) }
    }

    func set(_ option: CURLoption, list values: [String]) {
        guard !values.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        if let list {
            lists.append(list)
            _ = onboard_curl_setopt_slist(handle, option, list)
        }
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        _ = onboard_curl_setopt_pointer(handle, option, pointer)
    }

    func set(_ option: CURLoption, callback: @escaping @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int) {
        _ = onboard_curl_setopt_write_callback(handle, option, callback)
    }

    func info(long info: CURLINFO) -> Int {
        var value = 0
        _ = onboard_curl_getinfo_long(handle, info, &value)
        return value
    }

    func info(string info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard onboard_curl_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    func perform() -> CURLcode { curl_easy_perform(handle) }

    static func describe(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }
}
