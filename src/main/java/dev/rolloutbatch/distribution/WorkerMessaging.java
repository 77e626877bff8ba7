package dev.rolloutbatch.distribution;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * A worker takes one partition request at a time (prefetch 1, one consumer) and acknowledges it only when the
 * partition has ended: a worker that dies mid-partition leaves its request unacknowledged, and RabbitMQ gives it to
 * another worker (or the same one restarted). A request that fails before it runs goes back to the queue.
 */
@Configuration(proxyBeanMethods = false)
@EnableIntegration
@Profile("worker")
class WorkerMessaging {

    @Bean
    Queue partitionRequestsQueue(DistributionProperties properties) {
        return RequestsQueue.declare(properties);
    }

    @Bean(PartitionChannels.INBOUND)
    DirectChannel partitionRequestsInbound() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsFromBroker(ConnectionFactory connectionFactory,
            DistributionProperties properties) {
        return IntegrationFlow
            .from(Amqp.inboundAdapter(connectionFactory, properties.requestsQueue())
                .configureContainer(container -> container.concurrentConsumers(1)
                    .prefetchCount(1)
                    .acknowledgeMode(AcknowledgeMode.AUTO)
                    .defaultRequeueRejected(true))
                .messageConverter(RequestsQueue.converter()))
            .channel(PartitionChannels.INBOUND)
            .get();
    }
}
