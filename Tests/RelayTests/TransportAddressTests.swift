import Testing
@testable import Relay

@Suite struct TransportAddressTests {
    @Test func ipv4RoundTrips() throws {
        let address = try #require(TransportAddress(ip: "192.0.2.1", port: 32853))
        #expect(address == .ipv4(192, 0, 2, 1, port: 32853))
        #expect(address.addressBytes == [192, 0, 2, 1])
        #expect(address.description == "192.0.2.1:32853")
        #expect(TransportAddress(addressBytes: [192, 0, 2, 1], port: 32853) == address)
    }

    @Test func ipv6RoundTrips() throws {
        let address = try #require(TransportAddress(ip: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853))
        #expect(address.addressBytes == [0x20, 0x01, 0x0D, 0xB8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77])
        #expect(address.ipString == "2001:db8:1234:5678:11:2233:4455:6677")
        let loopback = try #require(TransportAddress(ip: "::1", port: 9))
        #expect(loopback.addressBytes == [UInt8](repeating: 0, count: 15) + [1])
        #expect(loopback.description == "[0:0:0:0:0:0:0:1]:9")
    }

    @Test func rejectsWhatIsNotAnAddress() {
        for text in ["", "1.2.3", "1.2.3.256", "1.2.3.4.5", "a.b.c.d", "1::2::3", "12345::", ":::", "1:2:3:4:5:6:7:8:9"] {
            #expect(TransportAddress(ip: text, port: 1) == nil, "\(text)")
        }
        #expect(TransportAddress(addressBytes: [1, 2, 3], port: 1) == nil)
    }
}
