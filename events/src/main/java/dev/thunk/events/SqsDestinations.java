package dev.thunk.events;

import dev.thunk.core.async.Destinations;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends destination records and dead letters to SQS queues, through the AWS SDK's SQS client, at one
 * SQS-compatible endpoint (ElasticMQ, LocalStack, AWS itself...). A queue ARN
 * {@code arn:aws:sqs:<region>:<account>:<name>} is looked up by name and owner once, then its URL is reused.
 * The client is made on first use: a server that never sends pays nothing for it.
 */
public final class SqsDestinations implements Destinations, AutoCloseable {
    private static final Pattern QUEUE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:sqs:([a-z0-9-]+):(\\d{12}):(.+)");

    private final URI endpoint;
    private final Region region;
    private final ConcurrentHashMap<String, String> queueUrls = new ConcurrentHashMap<>();
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private volatile SqsClient client;

    public SqsDestinations(URI endpoint, String region) {
        this.endpoint = endpoint;
        this.region = Region.of(region);
    }

    @Override
    public boolean accepts(String arn) {
        return QUEUE_ARN.matcher(arn).matches();
    }

    @Override
    public CompletableFuture<Void> send(String arn, byte[] body, Map<String, String> attributes) {
        Matcher queue = QUEUE_ARN.matcher(arn);
        if (!queue.matches()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an SQS queue ARN: " + arn));
        }
        return CompletableFuture.runAsync(() -> {
            SqsClient sqs = client();
            String url = queueUrls.computeIfAbsent(arn, ignored -> sqs.getQueueUrl(GetQueueUrlRequest.builder()
                    .queueName(queue.group(3)).queueOwnerAWSAccountId(queue.group(2)).build()).queueUrl());
            Map<String, MessageAttributeValue> messageAttributes = new LinkedHashMap<>();
            attributes.forEach((name, value) -> messageAttributes.put(name,
                    MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(new String(body, StandardCharsets.UTF_8))
                    .messageAttributes(messageAttributes));
        }, sends);
    }

    private SqsClient client() {
        SqsClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = SqsClient.builder()
                            .endpointOverride(endpoint)
                            .region(region)
                            .credentialsProvider(StaticCredentialsProvider.create(credentials()))
                            .httpClientBuilder(ApacheHttpClient.builder())
                            .build();
                }
                current = client;
            }
        }
        return current;
    }

    /** The process's AWS credentials when it has some (a real SQS needs them), else placeholders. */
    private static AwsBasicCredentials credentials() {
        String key = System.getenv("AWS_ACCESS_KEY_ID");
        String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        return key != null && secret != null ? AwsBasicCredentials.create(key, secret)
                : AwsBasicCredentials.create("thunk", "thunk");
    }

    @Override
    public void close() {
        sends.close();
        SqsClient current = client;
        if (current != null) {
            current.close();
        }
    }
}
