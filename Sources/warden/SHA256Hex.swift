import Crypto
import Foundation
import WardenCore

enum SHA256Hex {
    static func of(_ data: Data) -> String { SHA256.hash(data: data).hexString }
}
