package dev.rolloutbatch.distribution;

import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;

/** The manager's way to the workers: partition requests go to the requests queue through the default exchange. */
@Configuration(proxyBeanMethods = false)
@EnableIntegration
@ConditionalOnBooleanProperty("rollout.distribution.enabled")
class ManagerMessaging {

    @Bean
    Queue partitionRequestsQueue(DistributionProperties properties) {
        return RequestsQueue.declare(properties);
    }

    @Bean(PartitionChannels.OUTBOUND)
    DirectChannel partitionRequestsOutbound() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToBroker(AmqpTemplate amqpTemplate, DistributionProperties properties) {
        return IntegrationFlow.from(PartitionChannels.OUTBOUND)
            .handle(Amqp.outboundAdapter(amqpTemplate).routingKey(properties.requestsQueue()))
            .get();
    }
}
