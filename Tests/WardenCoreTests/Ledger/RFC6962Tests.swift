import Testing

@testable import WardenCore

/// The known answers of transparency-dev/merkle's `rfc6962/rfc6962_test.go`.
@Suite struct RFC6962Tests {
    @Test func emptyRootIsTheHashOfNothing() {
        #expect(RFC6962.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree().root == RFC6962.emptyRoot)
    }

    @Test func leafHashesArePrefixedWithZero() {
        #expect(RFC6962.leafHash([UInt8]()).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        #expect(RFC6962.leafHash(Array("L123456".utf8)).hex == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
    }

    @Test func nodeHashesArePrefixedWithOne() {
        let node = RFC6962.nodeHash(left: Array("N123".utf8), right: Array("N456".utf8))
        #expect(node.hex == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb")
        // The tree's own node hash, over 32-byte children from one stack buffer, is the same function.
        let left = RFC6962.leafHash(Array("left".utf8))
        let right = RFC6962.leafHash(Array("right".utf8))
        #expect(RFC6962.nodeHash(left: left, right: right) == RFC6962.nodeHash(left: left.bytes, right: right.bytes))
    }

    @Test func leavesCannotPassForNodes() {
        let hello = RFC6962.leafHash(Array("Hello".utf8))
        let world = RFC6962.leafHash(Array("World".utf8))
        #expect(hello != world)
        let node = RFC6962.nodeHash(left: hello, right: world)
        #expect(RFC6962.leafHash(hello.bytes + world.bytes) != node)
        #expect(RFC6962.nodeHash(left: world, right: hello) != node)
    }
}
