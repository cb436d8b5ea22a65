package dev.thunk.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ListFunctions paging over many functions, and the tag operations. */
class ListAndTagsIT extends SharedServerIT {
    private static final int COUNT = 120;

    @BeforeAll
    static void start() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                String name = String.format("page-%03d", i);
                created.add(pool.submit(() -> lambda.createFunction(Functions.provided(name).build())));
            }
            for (Future<?> f : created) {
                f.get();
            }
        }
    }

    private static List<String> pageNames() {
        return lambda.listFunctionsPaginator(b -> b.maxItems(7)).functions().stream()
                .map(FunctionConfiguration::functionName).filter(n -> n.startsWith("page-")).toList();
    }

    @Test
    void pagingWithMarkersVisitsEveryFunctionOnceInOrder() {
        List<String> names = new ArrayList<>();
        Optional<String> marker = Optional.empty();
        int pages = 0;
        do {
            String m = marker.orElse(null);
            ListFunctionsResponse page = lambda.listFunctions(b -> b.maxItems(25).marker(m));
            assertTrue(page.functions().size() <= 25);
            page.functions().forEach(f -> names.add(f.functionName()));
            marker = Optional.ofNullable(page.nextMarker());
            pages++;
        } while (marker.isPresent());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(String.format("page-%03d", i));
        }
        assertEquals(expected, names.stream().filter(n -> n.startsWith("page-")).toList());
        assertTrue(pages >= 5, "120 functions at 25 a page take at least 5 pages, took " + pages);

        assertEquals(expected, pageNames(), "the SDK paginator sees the same functions");
        ListFunctionsResponse firstDefault = lambda.listFunctions();
        assertEquals(50, firstDefault.functions().size(), "MaxItems defaults to 50");
        assertTrue(firstDefault.nextMarker() != null);
    }

    @Test
    void lastPageHasNoMarker() {
        ListFunctionsResponse all = lambda.listFunctions(b -> b.maxItems(10000));
        assertNull(all.nextMarker());
        assertTrue(all.functions().size() >= COUNT);
    }

    @Test
    void maxItemsOutOfRangeIsAValidationError() {
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> lambda.listFunctions(b -> b.maxItems(0)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertThrows(AwsServiceException.class, () -> lambda.listFunctions(b -> b.maxItems(10001)));
        AwsServiceException marker = assertThrows(AwsServiceException.class, () -> lambda.listFunctions(b -> b.marker("%%%")));
        assertEquals(400, marker.statusCode());
    }

    @Test
    void tagsAreSetListedMergedAndRemoved() {
        String arn = lambda.createFunction(Functions.provided("tagged").tags(Map.of("team", "a")).build()).functionArn();
        assertEquals(Map.of("team", "a"), lambda.listTags(b -> b.resource(arn)).tags());

        lambda.tagResource(b -> b.resource(arn).tags(Map.of("env", "prod", "team", "b")));
        assertEquals(Map.of("team", "b", "env", "prod"), lambda.listTags(b -> b.resource(arn)).tags());
        assertEquals(Map.of("team", "b", "env", "prod"), lambda.getFunction(b -> b.functionName("tagged")).tags());

        lambda.untagResource(b -> b.resource(arn).tagKeys("team", "absent"));
        assertEquals(Map.of("env", "prod"), lambda.listTags(b -> b.resource(arn)).tags());
    }

    @Test
    void tagErrorsAreAwsShaped() {
        String arn = lambda.createFunction(Functions.provided("tag-errors").build()).functionArn();
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        AwsServiceException tooMany = assertThrows(AwsServiceException.class,
                () -> lambda.tagResource(b -> b.resource(arn).tags(many)));
        assertEquals("InvalidParameterValueException", tooMany.awsErrorDetails().errorCode());
        assertEquals("Number of tags exceeds resource tag limit.", tooMany.awsErrorDetails().errorMessage());
        assertEquals(Map.of(), lambda.listTags(b -> b.resource(arn)).tags(), "a refused request sets no tag");

        AwsServiceException badArn = assertThrows(AwsServiceException.class,
                () -> lambda.listTags(b -> b.resource("not-an-arn")));
        assertEquals("ValidationException", badArn.awsErrorDetails().errorCode());

        AwsServiceException qualified = assertThrows(AwsServiceException.class,
                () -> lambda.tagResource(b -> b.resource(arn + ":1").tags(Map.of("a", "b"))));
        assertEquals("Tags on function aliases and versions are not supported. Please specify a function ARN.",
                qualified.awsErrorDetails().errorMessage());

        AwsServiceException longKey = assertThrows(AwsServiceException.class,
                () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of("k".repeat(129), "v"))));
        assertEquals("ValidationException", longKey.awsErrorDetails().errorCode());
    }
}
