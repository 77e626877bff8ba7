package dev.rolloutbatch.export;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.conversation.ConversationLog;

import static dev.rolloutbatch.export.DuckDb.parquet;
import static dev.rolloutbatch.export.DuckDb.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export written through Hadoop FileSystem to {@code hdfs://} (an in-process MiniDFSCluster: a real NameNode
 * and DataNode speaking HDFS's RPC and data-transfer protocols) and to {@code s3a://} (S3Proxy, a real S3 server
 * on a random port, in its own JVM), on the running JDK. Each dataset is fetched back with a client of the store
 * (Hadoop's own for HDFS, the AWS SDK for S3) and read by DuckDB.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ExportHadoopOutputsIntegrationTests {

    static final LocalDate DAY = LocalDate.of(2026, 11, 25);

    static final String BUCKET = "datasets";

    static final String ACCESS_KEY = "test-identity";

    static final String SECRET_KEY = "test-credential";

    private static Path work;

    private static MiniDFSCluster hdfs;

    private static Process s3proxy;

    private static int s3Port;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier(ExportJobConfiguration.JOB_NAME)
    Job exportJob;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConversationLog log;

    @TempDir
    Path local;

    ConversationFixtures.Standard data;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) throws Exception {
        work = Files.createTempDirectory("rollout-hadoop-");
        startHdfs();
        startS3();
        String endpoint = "http://127.0.0.1:" + s3Port;
        registry.add("rollout.hadoop.conf[fs.s3a.endpoint]", () -> endpoint);
        registry.add("rollout.hadoop.conf[fs.s3a.endpoint.region]", () -> "us-east-1");
        registry.add("rollout.hadoop.conf[fs.s3a.path.style.access]", () -> "true");
        registry.add("rollout.hadoop.conf[fs.s3a.connection.ssl.enabled]", () -> "false");
        // A test server's throwaway key pair; real credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
        registry.add("rollout.hadoop.conf[fs.s3a.access.key]", () -> ACCESS_KEY);
        registry.add("rollout.hadoop.conf[fs.s3a.secret.key]", () -> SECRET_KEY);
        registry.add("rollout.hadoop.conf[fs.s3a.attempts.maximum]", () -> "2");
        registry.add("rollout.hadoop.conf[fs.s3a.retry.limit]", () -> "2");
    }

    private static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
    }

    private static void startS3() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            s3Port = socket.getLocalPort();
        }
        Path blobs = Files.createDirectories(work.resolve("s3"));
        Path properties = Files.writeString(work.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + s3Port, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + blobs, ""));
        Path jar = Path.of("target", "test-servers", "s3proxy.jar");
        assertThat(jar).as("copied by the build (maven-dependency-plugin, s3-test-server)").exists();
        s3proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--properties", properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("s3proxy.log").toFile())
            .start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!listening(s3Port)) {
            if (!s3proxy.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy did not start: " + Files.readString(work.resolve("s3proxy.log")));
            }
            Thread.sleep(200);
        }
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static S3Client s3() {
        return S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
    }

    @AfterAll
    static void stopStores() throws Exception {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
        if (s3proxy != null) {
            s3proxy.destroy();
            if (!s3proxy.waitFor(20, TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @BeforeEach
    void seed() {
        DatabaseCleaner.clean(jdbc);
        data = new ConversationFixtures(jdbc, log).standard(DAY);
    }

    @Test
    void exportsToHdfs() throws Exception {
        String output = hdfs.getURI() + "/exports/nightly";

        assertThat(export(output).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        FileSystem fs = hdfs.getFileSystem();
        String root = "/exports/nightly/trajectories/";
        List<String> names = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new org.apache.hadoop.fs.Path("/exports/nightly"), true);
        while (files.hasNext()) {
            names.add(files.next().getPath().toUri().getPath());
        }
        assertThat(names).noneMatch(name -> name.contains("_temporary"));
        assertThat(names).containsExactlyInAnyOrderElementsOf(expectedFiles(root));
        Path copy = local.resolve(DAY.toString());
        Files.createDirectories(copy);
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "data/" + DAY + "/part-00000.zstd.parquet"),
                new org.apache.hadoop.fs.Path(copy.resolve("part-00000.zstd.parquet").toUri()));
        assertReadable(copy);
    }

    @Test
    void exportsToS3() throws Exception {
        String output = "s3a://" + BUCKET + "/exports/nightly";

        assertThat(export(output).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        String root = "exports/nightly/trajectories/";
        Path copy = local.resolve(DAY.toString());
        Files.createDirectories(copy);
        try (S3Client s3 = s3()) {
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("exports/"))
                .contents().stream().map(S3Object::key).filter(k -> !k.endsWith("/")).toList();
            assertThat(keys).noneMatch(key -> key.contains("_temporary"));
            assertThat(keys).containsExactlyInAnyOrderElementsOf(expectedFiles(root));
            s3.getObject(b -> b.bucket(BUCKET).key(root + "data/" + DAY + "/part-00000.zstd.parquet"),
                    ResponseTransformer.toFile(copy.resolve("part-00000.zstd.parquet")));
        }
        assertReadable(copy);
    }

    /** The dataset card at the root, the data under data/, the manifest and _SUCCESS under _manifests/. */
    private static List<String> expectedFiles(String root) {
        return List.of(root + "README.md", root + "data/" + DAY + "/part-00000.zstd.parquet",
                root + "_manifests/" + DAY + "/_manifest.json", root + "_manifests/" + DAY + "/_SUCCESS");
    }

    private JobExecution export(String output) throws Exception {
        return jobOperator.start(exportJob, new JobParametersBuilder().addLocalDate("runDate", DAY)
            .addString("output", output)
            .addString("format", "trajectories")
            .addLong("run.id", System.nanoTime())
            .toJobParameters());
    }

    private void assertReadable(Path partition) {
        assertThat(query("SELECT trajectory_id FROM " + parquet(partition))).extracting(r -> r.get("trajectory_id"))
            .containsExactlyInAnyOrder(data.successWithTokens().toString(), data.textFailure().toString(),
                    data.retried().toString(), data.failed().toString(), data.timeout().toString(),
                    data.unpriced().toString(), data.http().toString());
    }
}
