public import Kafka
public import ServiceLifecycle

/// Runs a ``KafkaConsumer`` feeding an ``EventPipeline`` as a lifecycle service: on
/// graceful shutdown the batch in hand is finished, offsets committed, the consumer closed;
/// the partition stores stay owned until the relay has published what they committed.
public struct ConsumerService: Service {
    let consumer: KafkaConsumer
    let pipeline: EventPipeline
    let maxBatch: Int
    let closeTimeout: Duration
    let ownership: PartitionOwnership

    public init(consumer: KafkaConsumer, pipeline: EventPipeline, ownership: PartitionOwnership, maxBatch: Int, closeTimeout: Duration) {
        self.consumer = consumer
        self.ownership = ownership
        self.pipeline = pipeline
        self.maxBatch = maxBatch
        self.closeTimeout = closeTimeout
    }

    public func run() async throws {
        let (consumer, pipeline) = (self.consumer, self.pipeline)
        await withGracefulShutdownHandler {
            await consumer.run(maxBatch: maxBatch, closeTimeout: closeTimeout) { batch in
                try pipeline.handle(batch, stopping: { consumer.isStopping })
            }
        } onGracefulShutdown: { [ownership] in
            ownership.beginStopping()
            consumer.stop()
        }
    }
}
