package dev.rolloutbatch.export;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hadoop configuration for the export's output file system, e.g. an S3-compatible endpoint:
 * {@code --rollout.hadoop.conf[fs.s3a.endpoint]=http://minio:9000 --rollout.hadoop.conf[fs.s3a.path.style.access]=true}.
 * Credentials belong in the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), which s3a
 * reads itself, not here: job parameters and properties are logged and stored.
 *
 * @param conf Hadoop keys and values set on top of the defaults
 */
@ConfigurationProperties("rollout.hadoop")
public record HadoopProperties(@DefaultValue Map<String, String> conf) {
}
