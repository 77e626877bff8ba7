package dev.rolloutbatch.distribution;

/** Names of the message channels between the broker and the collect job's partitioned step. */
public final class PartitionChannels {

    /** Manager side: a partition request sent here goes to the requests queue. */
    public static final String OUTBOUND = "partitionRequestsOutbound";

    /** Worker side: each partition request taken from the queue arrives here, one at a time. */
    public static final String INBOUND = "partitionRequestsInbound";

    private PartitionChannels() {
    }
}
