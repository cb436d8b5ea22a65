package dev.thunk.it;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS-compatible server (ElasticMQ) in the test JVM on a free loopback port, with an SDK client: where Thunk
 * sends destination records and dead letters in tests.
 */
final class QueueServer implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient sqs;

    private QueueServer(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    static QueueServer start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion("us-east-1").withAWSAccountId("000000000000").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new QueueServer(server, URI.create("http://127.0.0.1:" + port));
    }

    URI endpoint() {
        return endpoint;
    }

    /** Creates a queue and answers its ARN. */
    String createQueue(String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Waits up to {@code timeout} for {@code count} messages on the queue, and takes them off it. */
    List<Message> receive(String queueName, int count, Duration timeout) {
        String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        List<Message> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            for (Message m : batch) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            got.addAll(batch);
        }
        return got;
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }
}
