package dev.rolloutbatch.distribution;

import java.util.List;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/** The queue both sides declare (durable: requests outlive a broker restart), and how its messages are read. */
final class RequestsQueue {

    private RequestsQueue() {
    }

    static Queue declare(DistributionProperties properties) {
        return new Queue(properties.requestsQueue(), true);
    }

    /** Spring Batch's request is a serialized Java object: only that class may be deserialized from the queue. */
    static SimpleMessageConverter converter() {
        SimpleMessageConverter converter = new SimpleMessageConverter();
        converter.setAllowedListPatterns(List.of(StepExecutionRequest.class.getName(), "java.lang.*"));
        return converter;
    }
}
