/**
 * The broker side of running the collect job over several processes: Spring Batch remote partitioning with
 * partition requests carried by RabbitMQ (Spring Integration AMQP). A manager ({@code rollout.distribution.enabled})
 * sends one request per partition; workers (the {@code worker} profile) receive them. Neither side is configured,
 * no broker connection is ever made and Spring Integration is not even started, unless asked for. The steps themselves live in {@code collect}.
 */
@ApplicationModule(allowedDependencies = {})
package dev.rolloutbatch.distribution;

import org.springframework.modulith.ApplicationModule;
