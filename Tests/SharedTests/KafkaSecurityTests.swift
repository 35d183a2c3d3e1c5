import Foundation
import Testing
import TestSupport

/// TLS and SASL settings reach librdkafka as operators write them. The embedded broker
/// speaks neither, so these show librdkafka acting on them: loading the CA it was given,
/// asking the broker for the SASL mechanism it was given, and never logging the secret.
@Suite("Kafka security settings", .serialized)
struct KafkaSecurityTests {
    @Test func tlsSettingsReachLibrdkafka() async throws {
        let directory = try makeWorkDirectory("kafka-tls")
        let intake = try ChildProcess("intake", environment: TestAccess.environment.merging([
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "DATA_DIRECTORY": directory.path, "HTTP_PORT": "0",
            "KAFKA_PROPERTIES": "security.protocol=SSL,ssl.ca.location=/nonexistent/office-ca.pem",
            "KAFKA_SSL_KEY_PASSWORD": "tls-passphrase-123",
        ]) { $1 }, logDirectory: directory)
        #expect(await intake.waitForExit(timeout: .seconds(30)) == 1)
        #expect(intake.log.contains("ssl.ca.location failed"), "\(intake.log.suffix(2000))")
        #expect(!intake.log.contains("tls-passphrase-123"))
    }

    @Test func saslSettingsReachLibrdkafka() async throws {
        let cluster = try TestCluster("kafka-sasl")
        let intake = try ChildProcess("intake", environment: TestAccess.environment.merging([
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap, "DATA_DIRECTORY": cluster.directory.path, "HTTP_PORT": "0",
            "KAFKA_STARTUP_TIMEOUT_SECONDS": "3",
            "KAFKA_PROPERTIES": "security.protocol=SASL_PLAINTEXT,sasl.mechanisms=PLAIN,sasl.username=homeward",
            "KAFKA_SASL_PASSWORD": "sasl-secret-456",
        ]) { $1 }, logDirectory: cluster.directory)
        #expect(await intake.waitForExit(timeout: .seconds(30)) == 1, "the embedded broker has no SASL")
        #expect(intake.log.contains("SASL Handshake not supported by broker (required by mechanism PLAIN)"), "\(intake.log.suffix(2000))")
        #expect(!intake.log.contains("sasl-secret-456"))
    }

    /// The production override's SASL_SSL settings, as written there (the CA file put where
    /// this host has one): librdkafka takes every property without a configuration warning,
    /// loads the CA, and tries TLS with the embedded broker, which has none.
    @Test func theProductionOverridesSaslSslSettingsAreAcceptedByLibrdkafka() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let override = try String(contentsOf: repository.appendingPathComponent("deploy/docker-compose.prod.yml"), encoding: .utf8)
        let written = try #require(override.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("KAFKA_PROPERTIES: ") ? String(text.dropFirst("KAFKA_PROPERTIES: ".count)) : nil
        }.first, "the override sets KAFKA_PROPERTIES")
        #expect(written.contains("security.protocol=SASL_SSL") && written.contains("ssl.ca.location=/run/secrets/kafka-ca.pem"))
        let properties = written.replacingOccurrences(of: "/run/secrets/kafka-ca.pem", with: "/etc/ssl/certs/ca-certificates.crt")
        let cluster = try TestCluster("kafka-sasl-ssl")
        let intake = try ChildProcess("intake", environment: TestAccess.environment.merging([
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap, "DATA_DIRECTORY": cluster.directory.path, "HTTP_PORT": "0",
            "KAFKA_STARTUP_TIMEOUT_SECONDS": "3", "KAFKA_PROPERTIES": properties, "KAFKA_SASL_PASSWORD": "scram-secret-789",
        ]) { $1 }, logDirectory: cluster.directory)
        #expect(await intake.waitForExit(timeout: .seconds(30)) == 1, "the embedded broker has no TLS")
        #expect(intake.log.contains("sasl_ssl://") && intake.log.contains("SSL handshake failed"), "librdkafka tried TLS: \(intake.log.suffix(2000))")
        #expect(!intake.log.contains("CONFWARN") && !intake.log.contains("ssl.ca.location failed") && !intake.log.contains("is not name=value"),
                "\(intake.log.suffix(2000))")
        #expect(!intake.log.contains("scram-secret-789"))
    }
}
