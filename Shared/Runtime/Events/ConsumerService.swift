public import Kafka
public import ServiceLifecycle

/// Runs a ``KafkaConsumer`` feeding an ``EventPipeline`` as a lifecycle service: on
/// graceful shutdown the batch in hand is finished, offsets committed, the consumer closed.
public struct ConsumerService: Service {
    let consumer: KafkaConsumer
    let pipeline: EventPipeline
    let maxBatch: Int
    let closeTimeout: Duration

    public init(consumer: KafkaConsumer, pipeline: EventPipeline, maxBatch: Int, closeTimeout: Duration) {
        self.consumer = consumer
        self.pipeline = pipeline
        self.maxBatch = maxBatch
        self.closeTimeout = closeTimeout
    }

    public func run() async throws {
        let (consumer, pipeline) = (self.consumer, self.pipeline)
        await withGracefulShutdownHandler {
            await consumer.run(maxBatch: maxBatch, closeTimeout: closeTimeout) { try pipeline.handle($0) }
        } onGracefulShutdown: {
            consumer.stop()
        }
    }
}
